"""Reading a Kartu Keluarga or the front of a KTP-el into proposed form values (issue 20).

The contract between the reader (`app.cardread.reader`, OCR on ONNX Runtime) and the officer's review
view (`ui/editor/card_review.py`): the reader proposes, the officer confirms; nothing is written into a
form without that review. Field ids are the forms' own: header fields are F-1.01 `header.*` ids
(`nomor_kk` is the card's number, which F-1.01 does not hold but F-1.02 and the applicant page do),
member fields are F-1.01 `anggota` column ids (`nik`, `nama_lengkap`, `jenis_kelamin`, `tempat_lahir`,
`tanggal_lahir`, `agama`, `pendidikan`, `pekerjaan`, `golongan_darah`, `status_kawin`, `tanggal_kawin`,
`shdk`, `kewarganegaraan`, `nomor_paspor`, `nomor_itas` (KITAS/KITAP), `nama_ayah`, `nama_ibu`).
"""
