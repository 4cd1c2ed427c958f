"""Name material for made-up people: naming customs of several Indonesian peoples, written for this demo.

Every word is letters only (Permendagri 73/2022: no digits, punctuation or abbreviations), in capitals
as SIAK prints them. Combinations are random, so any likeness to a real person is chance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

ISLAM, KRISTEN, KATHOLIK, HINDU, BUDHA, KHONGHUCU = 1, 2, 3, 4, 5, 6
MALE, FEMALE = 1, 2
MAX_NAME_LENGTH = 60


@dataclass(frozen=True, slots=True)
class Culture:
    """A naming custom: given names by sex and generation, second words, and an inherited family name."""

    key: str
    religions: tuple[tuple[int, float], ...]
    male: tuple[str, ...]
    female: tuple[str, ...]
    male_second: tuple[str, ...]
    female_second: tuple[str, ...]
    male_young: tuple[str, ...] = ()
    female_young: tuple[str, ...] = ()
    family_names: tuple[str, ...] = ()
    birthplaces: tuple[str, ...] = ()


# fmt: off

_MUSLIM_MALE = ("MUHAMMAD", "AHMAD", "ABDUL", "MOHAMAD")

_MUSLIM_FEMALE = ("SITI", "NUR", "NURUL", "SITTI")

_CHRISTIAN_MALE = (
    "ANTONIUS", "YOHANES", "PAULUS", "PETRUS", "STEFANUS", "FRANSISKUS", "YOSEF", "ANDREAS", "BENEDIKTUS", "THOMAS",
    "MARKUS", "MATIUS", "YAKOBUS", "LUKAS", "DANIEL", "SAMUEL",
)

_CHRISTIAN_FEMALE = (
    "MARIA", "THERESIA", "CHRISTINA", "ELISABETH", "MAGDALENA", "VERONIKA", "AGNES", "CECILIA", "MARTHA", "YOHANA",
    "LIDIA", "RUTH", "DEBORA", "KRISTINA",
)

JAVANESE = Culture(
    key="jawa",
    religions=((ISLAM, 0.95), (KRISTEN, 0.03), (KATHOLIK, 0.02)),
    male=(
        "AGUS", "BUDI", "BAMBANG", "SUGENG", "SUPRIYADI", "SLAMET", "JOKO", "HERU", "EKO", "DWI", "TRI", "WAHYU",
        "ADI", "ARIF", "BAYU", "FAJAR", "GALIH", "HENDRA", "IWAN", "LUKMAN", "RAHMAT", "TEGUH", "YUDI", "ANDIK",
        "SUYANTO", "SUTRISNO", "SUKIMAN", "SUPARMAN", "MULYONO", "PURNOMO", "HARYANTO", "WARSITO", "SUMARNO",
        "SURYADI", "GUNAWAN", "SISWANTO", "DARMANTO", "KATENO", "SAMIDI", "PARNO", "SUWARNO", "TUKIMIN", "SUPRAPTO",
        "SUNARTO", "RUDI", "ANTON", "DEDI", "YANTO", "WIDODO", "PRIYO", "BAGUS", "GATOT", "HADI",
    ),
    female=(
        "SRI", "DEWI", "ENDANG", "TUTIK", "SUMARNI", "RATNA", "YUNI", "ENI", "PUJI", "ANIK", "ERNA", "INDAH", "NOVI",
        "PUTRI", "AYU", "DIAN", "FITRI", "RINI", "SUSI", "WULAN", "YULIANA", "SULASTRI", "SUPARMI", "SUMIATI",
        "KASIYEM", "PAINEM", "SUWARTI", "SUMINAH", "TUMINAH", "SRIATUN", "MARSINI", "WARTINI", "SITI", "NINIK",
        "RETNO", "ESTI", "LILIK", "KUSNI", "HARTATI", "WIWIK", "YATMI", "SUPRIHATIN",
    ),
    male_second=(
        "SANTOSO", "SETIAWAN", "PRASETYO", "WIBOWO", "NUGROHO", "SAPUTRO", "HIDAYAT", "KURNIAWAN", "SUSANTO",
        "HARTONO", "WIJAYA", "PURNOMO", "RAHARJO", "SULISTYO", "WAHYUDI", "SUBAGYO", "UTOMO", "FIRMANSYAH",
        "SUPRIYANTO", "WALUYO", "SUGIHARTO", "PRIYANTO", "HARIYADI", "SUMARYANTO", "SETYAWAN", "KUSWORO", "BUDIONO",
        "SUHARTO", "SUPARNO", "WIDIYANTO", "HERMANTO", "SUDARSONO", "PRAYITNO", "SUKARNO",
    ),
    female_second=(
        "LESTARI", "RAHAYU", "WAHYUNI", "ASTUTI", "NINGSIH", "HANDAYANI", "PURWANTI", "SULISTYOWATI", "KURNIASIH",
        "SETYOWATI", "MULYANI", "SAFITRI", "PERMATASARI", "PUSPITASARI", "WULANDARI", "RAHMAWATI", "NURHAYATI",
        "SUSANTI", "YULIANTI", "KUSUMAWATI", "SUPRIHATIN", "HARTINI", "WIDAYATI", "SRIYATUN", "SUMARSIH", "WINARSIH",
        "PUJIASTUTI", "SURYANINGSIH", "INDRAWATI", "KARTIKASARI",
    ),
    male_young=(
        "ALDI", "RAFA", "ARKAN", "FARHAN", "DAFFA", "NAUFAL", "RAFFI", "ZIDAN", "BIMA", "ARYA", "GILANG", "DIMAS",
        "RIZKY", "FADIL", "AZKA", "ADITYA", "DANENDRA", "KENZO", "ATHARYA", "RAKA", "YUSUF", "ILHAM", "BAGAS",
        "ANDRA", "REZA", "FIKRI", "HAIKAL", "SATRIA", "ABIMANYU", "ERLANGGA",
    ),
    female_young=(
        "AULIA", "NAYLA", "KEISHA", "ZAHRA", "SALSABILA", "ALYA", "AQILA", "NADIA", "ANISA", "CANTIKA", "DINDA",
        "KHANZA", "ADINDA", "AZIZAH", "NABILA", "KIRANA", "ALIKA", "SHAFA", "QUEENA", "ARUNA", "LARASATI", "NAURA",
        "HANIFA", "RANIA", "ZASKIA", "AMELIA", "TALITHA", "CALISTA", "FELISHA", "GENDIS",
    ),
    birthplaces=("NGAWI", "NGAWI", "NGAWI", "NGAWI", "MADIUN", "MAGETAN", "SRAGEN", "BOJONEGORO", "PONOROGO"),
)

_YOUNG_MALE_SECOND = (
    "PRATAMA", "SAPUTRA", "RAMADHAN", "ADITYA", "MAULANA", "FIRMANSYAH", "ALFARIZI", "WICAKSONO", "NUGRAHA",
    "ARDIANSYAH", "PRADANA", "SETIAWAN", "KUSUMA", "WARDANA", "PERMANA", "HIDAYATULLAH", "ANANTA", "PAMUNGKAS",
)

_YOUNG_FEMALE_SECOND = (
    "PUTRI", "SAFITRI", "RAMADHANI", "AZZAHRA", "NURAINI", "MAHARANI", "KIRANA", "ANGGRAENI", "CAHYANINGRUM",
    "PRAMESWARI", "ANINDYA", "SALSABILA", "KHAIRUNNISA", "FEBRIANTI", "OKTAVIANI", "AGUSTINA", "NOVITASARI",
)

SUNDANESE = Culture(
    key="sunda",
    religions=((ISLAM, 0.98), (KRISTEN, 0.02)),
    male=("ASEP", "UJANG", "DEDE", "CECEP", "YAYAN", "DADANG", "ENDANG", "AEP", "DODI", "IWAN", "JAJANG", "OMAN"),
    female=("NENG", "EUIS", "IMAS", "ENOK", "YAYAH", "CUCU", "ELIS", "NINING", "TITIN", "IIS", "ENENG", "YETI"),
    male_second=("SUPRIATNA", "HERMAWAN", "SOLIHIN", "RUSTANDI", "SUNARYA", "KUSNADI", "HIDAYAT", "SUTISNA"),
    female_second=("KURNIASIH", "NURJANAH", "ROHAYATI", "MULYANI", "KOMALASARI", "SUKAESIH", "ROSITA", "NURLELA"),
    birthplaces=("BANDUNG", "GARUT", "TASIKMALAYA", "CIAMIS", "SUMEDANG", "CIANJUR"),
)

BATAK = Culture(
    key="batak",
    religions=((KRISTEN, 0.62), (ISLAM, 0.3), (KATHOLIK, 0.08)),
    male=("RUDI", "JONI", "HOTMAN", "PARLINDUNGAN", "MARULI", "TIGOR", "BONAR", "SAHAT", "TUMPAL", "POLTAK"),
    female=("RIA", "DELIMA", "ROSMA", "LAMRIA", "NOVITA", "TIOMINAR", "HOTMA", "SRIWATI", "MASTIUR", "ROSDIANA"),
    male_second=("HASIHOLAN", "PARULIAN", "MANGATUR", "HOTBER", "BINSAR", "JUNTAK", "SAUT", "PANGIHUTAN"),
    female_second=("BORU", "ROSLINA", "MARIANI", "HERLINA", "SARAGIH", "ELFRIDA", "TIURMA", "NURHAIDA"),
    family_names=(
        "SIMANJUNTAK", "SIREGAR", "NASUTION", "HUTAPEA", "SITUMORANG", "PANJAITAN", "SIAHAAN", "MANURUNG",
        "SIMATUPANG", "LUBIS", "HARAHAP", "SINAGA", "TAMBUNAN", "PASARIBU", "NAINGGOLAN", "SIHOMBING",
    ),
    birthplaces=("MEDAN", "TARUTUNG", "PEMATANGSIANTAR", "SIBOLGA", "BALIGE", "PADANGSIDEMPUAN"),
)

MINANG = Culture(
    key="minang",
    religions=((ISLAM, 1.0),),
    male=("RIZAL", "AFRIZAL", "YUSRIZAL", "HENDRI", "FERDI", "ZULKIFLI", "ERWIN", "IRWAN", "DASRIL", "YONDRI"),
    female=("YENI", "ELFI", "RAHMI", "FITRIANI", "YUSNIMAR", "ELVIRA", "DESI", "NOVIA", "WIDYA", "ZURAIDA"),
    male_second=("EFENDI", "PUTRA", "SYAHPUTRA", "YUSUF", "ANWAR", "HAMZAH", "SYAFRUDDIN", "MARDIUS"),
    female_second=("SUSANTI", "NOFRIANTI", "HASANAH", "YULIARNI", "MARNIS", "ROSMAINI", "ERNITA", "FITRIA"),
    birthplaces=("PADANG", "BUKITTINGGI", "PAYAKUMBUH", "SOLOK", "PARIAMAN", "BATUSANGKAR"),
)

BUGIS = Culture(
    key="bugis",
    religions=((ISLAM, 1.0),),
    male=("ANDI", "ARIFUDDIN", "SYAHRIR", "HASANUDDIN", "IRFAN", "RAHMAN", "SUDIRMAN", "BAHARUDDIN", "AMIRUDDIN"),
    female=("ANDI", "NURHAYATI", "HASNAWATI", "RISMAWATI", "SITTI", "MUSDALIFAH", "HASRIANI", "NURLIAH"),
    male_second=("SYAM", "AMIR", "LATIF", "MAKKASAU", "DAENG", "TAHIR", "HAMID", "BASO", "MAPPA"),
    female_second=("AMINAH", "FATIMAH", "RAHMAYANI", "JUMRIAH", "HASMAWATI", "ASRIANI", "NURHAEDAH"),
    birthplaces=("MAKASSAR", "BONE", "WAJO", "SOPPENG", "PAREPARE", "SIDRAP"),
)

MINAHASA = Culture(
    key="minahasa",
    religions=((KRISTEN, 0.8), (KATHOLIK, 0.2)),
    male=("JOHANIS", "FRANKY", "STEVEN", "MICHAEL", "RONALD", "JEFRY", "ALFRED", "HENDRIK", "DENNY", "REINHARD"),
    female=("GRACE", "MEIYKE", "JULIANA", "NOVITA", "DEISY", "FANNY", "SINTIA", "VIVI", "JEANNY", "OLIVIA"),
    male_second=("ROBERT", "ALEXANDER", "FREDRIK", "JOHAN", "WILLEM", "ARNOLD", "RICHARD", "VICTOR"),
    female_second=("ANGELINA", "CHRISTIN", "MARLENE", "HELENA", "FRANSISKA", "YOLANDA", "MARGARETHA"),
    family_names=(
        "WOWOR", "RONDONUWU", "LUMENTUT", "TUMEWU", "SUMAMPOUW", "WALANDOUW", "KAUNANG", "MANDAGI", "POLII",
        "RUMAJAR", "SUMOLANG", "TAMBUWUN", "PANGEMANAN", "LENGKONG",
    ),
    birthplaces=("MANADO", "TOMOHON", "BITUNG", "TONDANO", "AIRMADIDI"),
)

CHINESE = Culture(
    key="tionghoa",
    religions=((BUDHA, 0.35), (KRISTEN, 0.3), (KATHOLIK, 0.25), (KHONGHUCU, 0.1)),
    male=("HENDRA", "WILLIAM", "SUSANTO", "JOHAN", "KEVIN", "RUDY", "FELIX", "ROBERT", "HARTONO", "STEVEN"),
    female=("LINDA", "JESSICA", "MELIANA", "SUSAN", "LILIANA", "CYNTHIA", "VIVIAN", "YENNY", "MONICA", "SHERLY"),
    male_second=("GUNAWAN", "SETIADI", "SANTOSO", "WIJAYA", "HALIM", "KURNIAWAN", "LIMANTO", "TANOTO"),
    female_second=("WIJAYA", "HALIM", "KUSUMA", "SANTOSO", "GUNAWAN", "SETIAWATI", "TANUWIJAYA", "SALIM"),
    birthplaces=("SURABAYA", "MALANG", "SEMARANG", "SURAKARTA", "KEDIRI"),
)

BALINESE = Culture(
    key="bali",
    religions=((HINDU, 1.0),),
    male=("GEDE", "WAYAN", "MADE", "NYOMAN", "KETUT", "PUTU", "KADEK", "KOMANG"),
    female=("NI", "NI", "NI"),
    male_second=("SUDARMA", "ARTAWAN", "SUARDANA", "WIRAWAN", "ADNYANA", "SUPARTA", "DARMAWAN"),
    female_second=("WAYAN SRI", "MADE AYU", "KOMANG TRI", "KETUT SUARNI", "PUTU ARI", "KADEK DEWI"),
    birthplaces=("DENPASAR", "GIANYAR", "TABANAN", "SINGARAJA", "KLUNGKUNG"),
)

# Shares for a kabupaten in Jawa Timur (most people Javanese; a few families from elsewhere).
CULTURE_WEIGHTS: tuple[tuple[Culture, float], ...] = (
    (JAVANESE, 0.86), (SUNDANESE, 0.03), (BATAK, 0.025), (MINANG, 0.015), (BUGIS, 0.015), (MINAHASA, 0.015),
    (CHINESE, 0.03), (BALINESE, 0.01),
)
_CULTURES = tuple(c for c, _ in CULTURE_WEIGHTS)
_CULTURE_CUM = tuple(sum(w for _, w in CULTURE_WEIGHTS[: i + 1]) for i in range(len(CULTURE_WEIGHTS)))


FOREIGN_MALE = ("DANIEL", "THOMAS", "LUKAS", "JAMES", "KENJI", "HIROSHI", "PIETER", "MARCO", "OLIVER", "SEBASTIAN")

FOREIGN_FEMALE = ("EMMA", "SOPHIE", "JULIA", "HANNA", "YUKI", "SAKURA", "CHARLOTTE", "ISABELLA", "AMELIA", "ANNA")

FOREIGN_FAMILY = (
    "JOHANSSON", "TANAKA", "SCHMIDT", "MULLER", "DE VRIES", "ROSSI", "SMITH", "WILLIAMS", "NAKAMURA",
    "JANSEN", "FISCHER", "BERNARD", "ANDERSEN", "KOWALSKI",
)

FOREIGN_COUNTRIES = ("JEPANG", "BELANDA", "JERMAN", "AUSTRALIA", "ITALIA", "SWEDIA", "DENMARK", "AMERIKA SERIKAT")
# fmt: on


def pick_culture(rng: random.Random) -> Culture:
    """A naming custom, weighted for a kabupaten in Jawa Timur."""
    roll = rng.random() * _CULTURE_CUM[-1]
    for culture, bound in zip(_CULTURES, _CULTURE_CUM, strict=True):
        if roll < bound:
            return culture
    return _CULTURES[-1]


def pick_religion(rng: random.Random, culture: Culture) -> int:
    """An agama code (SIAK list) typical for the custom."""
    roll = rng.random()
    total = 0.0
    for code, share in culture.religions:
        total += share
        if roll < total:
            return code
    return culture.religions[0][0]


def _christian(religion: int) -> bool:
    return religion in (KRISTEN, KATHOLIK)


def person_name(
    rng: random.Random, culture: Culture, sex: int, religion: int, born_year: int, family_name: str = ""
) -> str:
    """A full name of two or three words (no titles), at most 60 characters."""
    young = born_year >= 2000
    prefixes: tuple[str, ...]
    if sex == MALE:
        given = culture.male_young if young and culture.male_young else culture.male
        second = _YOUNG_MALE_SECOND if young and culture is JAVANESE else culture.male_second
        prefixes = _MUSLIM_MALE if religion == ISLAM else _CHRISTIAN_MALE if _christian(religion) else ()
    else:
        given = culture.female_young if young and culture.female_young else culture.female
        second = _YOUNG_FEMALE_SECOND if young and culture is JAVANESE else culture.female_second
        prefixes = _MUSLIM_FEMALE if religion == ISLAM else _CHRISTIAN_FEMALE if _christian(religion) else ()
    words: list[str] = []
    if prefixes and rng.random() < (0.45 if _christian(religion) else 0.15):
        words.append(_pick(rng, prefixes))
    first = _pick(rng, given)
    if first not in words:
        words.append(first)
    if family_name:
        if len(words) < 2 and rng.random() < 0.5:
            words.append(_pick(rng, second))
        words.append(family_name)
    else:
        words.append(_pick(rng, second))
        if len(words) < 3 and culture in (JAVANESE, SUNDANESE) and rng.random() < 0.2:
            extra = _pick(rng, second)
            if extra not in words:
                words.append(extra)
    name = " ".join(_dedupe(" ".join(words).split()))
    if len(name.split()) < 2:
        name = f"{name} {_pick(rng, second)}"
    return name[:MAX_NAME_LENGTH].strip()


def foreign_name(rng: random.Random, sex: int) -> str:
    """A name of a foreign national (Latin letters, no accents)."""
    given = _pick(rng, FOREIGN_MALE if sex == MALE else FOREIGN_FEMALE)
    return f"{given} {_pick(rng, FOREIGN_FAMILY)}"


def _pick(rng: random.Random, options: tuple[str, ...]) -> str:
    """rng.choice without its rejection loop (names are drawn millions of times for load tests)."""
    return options[int(rng.random() * len(options))]


def _dedupe(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        if word not in out:
            out.append(word)
    return out
