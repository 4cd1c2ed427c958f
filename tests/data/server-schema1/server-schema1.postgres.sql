--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: application; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.application (
    id integer NOT NULL,
    client_id character varying(36) NOT NULL,
    outpost_id integer NOT NULL,
    service_code character varying(40) NOT NULL,
    revision integer NOT NULL,
    state character varying(16) NOT NULL,
    registration_number character varying(40),
    applicant_name character varying(100) NOT NULL,
    received_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL
);


--
-- Name: application_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.application_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: application_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.application_id_seq OWNED BY public.application.id;


--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    id integer NOT NULL,
    at timestamp without time zone NOT NULL,
    actor character varying(64) NOT NULL,
    action character varying(40) NOT NULL,
    subject character varying(64) NOT NULL,
    details text NOT NULL
);


--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_log_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_log_id_seq OWNED BY public.audit_log.id;


--
-- Name: batch; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.batch (
    batch_id character varying(36) NOT NULL,
    device_id integer NOT NULL,
    content_hash character varying(64) NOT NULL,
    response text NOT NULL,
    received_at timestamp without time zone NOT NULL
);


--
-- Name: conflict; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.conflict (
    id integer NOT NULL,
    item_id character varying(36) NOT NULL,
    client_id character varying(36) NOT NULL,
    revision integer NOT NULL,
    content_hash character varying(64) NOT NULL,
    package text NOT NULL,
    reason text NOT NULL,
    device_id integer NOT NULL,
    outpost_id integer NOT NULL,
    created_at timestamp without time zone NOT NULL,
    resolved_at timestamp without time zone,
    resolution text NOT NULL
);


--
-- Name: conflict_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.conflict_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: conflict_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.conflict_id_seq OWNED BY public.conflict.id;


--
-- Name: counter; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.counter (
    key character varying(40) NOT NULL,
    value bigint NOT NULL
);


--
-- Name: device; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.device (
    id integer NOT NULL,
    device_id character varying(36) NOT NULL,
    outpost_id integer NOT NULL,
    name character varying(100) NOT NULL,
    token_hash character varying(64) NOT NULL,
    public_key character varying(64) NOT NULL,
    enrolled_at timestamp without time zone NOT NULL,
    last_seen_at timestamp without time zone NOT NULL,
    revoked boolean NOT NULL
);


--
-- Name: device_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.device_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: device_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.device_id_seq OWNED BY public.device.id;


--
-- Name: document; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.document (
    sha256 character varying(64) NOT NULL,
    size bigint NOT NULL,
    stored_at timestamp without time zone NOT NULL
);


--
-- Name: enrolment_code; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.enrolment_code (
    id integer NOT NULL,
    outpost_id integer NOT NULL,
    code_hash character varying(64) NOT NULL,
    created_at timestamp without time zone NOT NULL,
    expires_at timestamp without time zone NOT NULL,
    used_at timestamp without time zone,
    device_id character varying(36)
);


--
-- Name: enrolment_code_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.enrolment_code_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: enrolment_code_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.enrolment_code_id_seq OWNED BY public.enrolment_code.id;


--
-- Name: event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.event (
    id integer NOT NULL,
    outpost_id integer NOT NULL,
    seq bigint NOT NULL,
    application_id integer NOT NULL,
    client_id character varying(36) NOT NULL,
    revision integer NOT NULL,
    state character varying(16) NOT NULL,
    registration_number character varying(40),
    reasons text NOT NULL,
    note text NOT NULL,
    actor character varying(64) NOT NULL,
    at timestamp without time zone NOT NULL
);


--
-- Name: event_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: event_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.event_id_seq OWNED BY public.event.id;


--
-- Name: outpost; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outpost (
    id integer NOT NULL,
    code character varying(20) NOT NULL,
    name character varying(100) NOT NULL,
    kabupaten character varying(4) NOT NULL,
    feed_seq bigint NOT NULL,
    active boolean NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: outpost_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.outpost_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: outpost_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.outpost_id_seq OWNED BY public.outpost.id;


--
-- Name: server_meta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.server_meta (
    key character varying(40) NOT NULL,
    value text NOT NULL
);


--
-- Name: staff; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.staff (
    id integer NOT NULL,
    username character varying(64) NOT NULL,
    full_name character varying(100) NOT NULL,
    token_hash character varying(64) NOT NULL,
    active boolean NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: staff_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.staff_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: staff_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.staff_id_seq OWNED BY public.staff.id;


--
-- Name: submission; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.submission (
    id integer NOT NULL,
    item_id character varying(36) NOT NULL,
    application_id integer NOT NULL,
    client_id character varying(36) NOT NULL,
    revision integer NOT NULL,
    content_hash character varying(64) NOT NULL,
    package text NOT NULL,
    outcome character varying(16) NOT NULL,
    reasons text NOT NULL,
    device_id integer NOT NULL,
    batch_id character varying(36) NOT NULL,
    received_at timestamp without time zone NOT NULL
);


--
-- Name: submission_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.submission_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: submission_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.submission_id_seq OWNED BY public.submission.id;


--
-- Name: application id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.application ALTER COLUMN id SET DEFAULT nextval('public.application_id_seq'::regclass);


--
-- Name: audit_log id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log ALTER COLUMN id SET DEFAULT nextval('public.audit_log_id_seq'::regclass);


--
-- Name: conflict id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.conflict ALTER COLUMN id SET DEFAULT nextval('public.conflict_id_seq'::regclass);


--
-- Name: device id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.device ALTER COLUMN id SET DEFAULT nextval('public.device_id_seq'::regclass);


--
-- Name: enrolment_code id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enrolment_code ALTER COLUMN id SET DEFAULT nextval('public.enrolment_code_id_seq'::regclass);


--
-- Name: event id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event ALTER COLUMN id SET DEFAULT nextval('public.event_id_seq'::regclass);


--
-- Name: outpost id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outpost ALTER COLUMN id SET DEFAULT nextval('public.outpost_id_seq'::regclass);


--
-- Name: staff id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff ALTER COLUMN id SET DEFAULT nextval('public.staff_id_seq'::regclass);


--
-- Name: submission id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.submission ALTER COLUMN id SET DEFAULT nextval('public.submission_id_seq'::regclass);


--
-- Data for Name: application; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.application (id, client_id, outpost_id, service_code, revision, state, registration_number, applicant_name, received_at, updated_at) FROM stdin;
3	8dd386b2-3a4d-4aba-8f69-c0265c44fa47	1	KK-BARU-KELUARGA	1	received	3521-20261206-000003	ILHAM FIRMANSYAH	2026-12-06 09:35:51.452038	2026-12-06 09:35:51.452038
1	ae152b08-958b-4831-97bf-7abaab38c21c	1	LAHIR-WNI	1	verified	3521-20261206-000001	KENZO PERMANA	2026-12-06 09:35:51.452038	2026-12-06 09:35:51.482344
2	0ed5bf5c-559e-4f2a-a02e-78d4f66c3b3c	1	KEMATIAN	1	returned	3521-20261206-000002	SURYADI HARIYADI	2026-12-06 09:35:51.452038	2026-12-06 09:35:51.487383
\.


--
-- Data for Name: audit_log; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.audit_log (id, at, actor, action, subject, details) FROM stdin;
1	2026-12-06 09:35:51.117685	admin	outpost.add	35.21.01.2001	{"name": "Desa Sukamaju"}
2	2026-12-06 09:35:51.11909	admin	enrolment_code.issue	35.21.01.2001	{}
3	2026-12-06 09:35:51.128968	device:fa7edef6-40c9-42dd-a490-d496ad13e5e6	device.enrol	35.21.01.2001	{"name": "Laptop Desa"}
4	2026-12-06 09:35:51.159617	admin	staff.add	rina	{}
5	2026-12-06 09:35:51.452038	device:fa7edef6-40c9-42dd-a490-d496ad13e5e6	intake.accepted	ae152b08-958b-4831-97bf-7abaab38c21c	{"revision": 1, "reasons": 0}
6	2026-12-06 09:35:51.452038	device:fa7edef6-40c9-42dd-a490-d496ad13e5e6	intake.accepted	0ed5bf5c-559e-4f2a-a02e-78d4f66c3b3c	{"revision": 1, "reasons": 0}
7	2026-12-06 09:35:51.452038	device:fa7edef6-40c9-42dd-a490-d496ad13e5e6	intake.accepted	8dd386b2-3a4d-4aba-8f69-c0265c44fa47	{"revision": 1, "reasons": 0}
8	2026-12-06 09:35:51.483535	staf:rina	workflow.verify	3521-20261206-000001	{"reasons": 0, "revision": 1, "state": "verified"}
9	2026-12-06 09:35:51.488533	staf:rina	workflow.return	3521-20261206-000002	{"reasons": 1, "revision": 1, "state": "returned"}
\.


--
-- Data for Name: batch; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.batch (batch_id, device_id, content_hash, response, received_at) FROM stdin;
c41b493d-9982-4819-a45e-4d6ff71486a9	1	1c9a1c8c1312f371a10f74d482faeb262f748112e323a19d4deeb38eec77efe1	{"batch_id":"c41b493d-9982-4819-a45e-4d6ff71486a9","results":[{"item_id":"57e5a20f-2335-4c53-a108-3b101261b31a","client_id":"ae152b08-958b-4831-97bf-7abaab38c21c","revision":1,"outcome":"accepted","registration_number":"3521-20261206-000001","reasons":[],"message":"Diterima Dinas."},{"item_id":"4f94ddfe-14c6-46ed-ba70-558d4f553634","client_id":"0ed5bf5c-559e-4f2a-a02e-78d4f66c3b3c","revision":1,"outcome":"accepted","registration_number":"3521-20261206-000002","reasons":[],"message":"Diterima Dinas."},{"item_id":"1bb6be2f-ea81-4109-aa7e-43048dc6b322","client_id":"8dd386b2-3a4d-4aba-8f69-c0265c44fa47","revision":1,"outcome":"accepted","registration_number":"3521-20261206-000003","reasons":[],"message":"Diterima Dinas."}]}	2026-12-06 09:35:51.457659
\.


--
-- Data for Name: conflict; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.conflict (id, item_id, client_id, revision, content_hash, package, reason, device_id, outpost_id, created_at, resolved_at, resolution) FROM stdin;
\.


--
-- Data for Name: counter; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.counter (key, value) FROM stdin;
3521-20261206	3
\.


--
-- Data for Name: device; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.device (id, device_id, outpost_id, name, token_hash, public_key, enrolled_at, last_seen_at, revoked) FROM stdin;
1	fa7edef6-40c9-42dd-a490-d496ad13e5e6	1	Laptop Desa	cbff376d6ee598ae75687520f0251bafaab01934298064ca090b7db1a08a74b9	XWXZ/ibDcd2xQTZrgpjIfxn7mZ3A+dTMI3so0stMBsM=	2026-12-06 09:35:51.127679	2026-12-06 09:35:51.127685	f
\.


--
-- Data for Name: document; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.document (sha256, size, stored_at) FROM stdin;
fe77c0697b3cd25351ccf929ca894e876cc52a632dbfc84aaa2e666d6ace3cd3	15629	2026-12-06 09:35:51.452038
17a1e451e34902129ae308b49ed7e94aa39c1b59b4c967bbafa2d503b8bcf251	15402	2026-12-06 09:35:51.452038
84d05d1de60dd225081b3cbb803ea1a408bb0ae97672523c9a05aebb2dbdb712	17171	2026-12-06 09:35:51.452038
f8fd3dcfcde2158f6ada110fa0056a1b24758bacecd6a9292b512ead3421a6f6	11111	2026-12-06 09:35:51.452038
06140bf67b245774acf768dec89573a4917d7979e1acf88575ac76eec0c6094e	17623	2026-12-06 09:35:51.452038
a065d215b3a3fc78e8544af316bcf568ae52c32a23eea941d9d0508004637dc8	16387	2026-12-06 09:35:51.452038
\.


--
-- Data for Name: enrolment_code; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.enrolment_code (id, outpost_id, code_hash, created_at, expires_at, used_at, device_id) FROM stdin;
1	1	59a84c25d99689a237b4d4829c0bbbceb0b45773e7e356ca3c0954f15528d095	2026-12-06 09:35:51.118267	2026-12-13 09:35:51.118267	2026-12-06 09:35:51.127211	fa7edef6-40c9-42dd-a490-d496ad13e5e6
\.


--
-- Data for Name: event; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.event (id, outpost_id, seq, application_id, client_id, revision, state, registration_number, reasons, note, actor, at) FROM stdin;
1	1	1	1	ae152b08-958b-4831-97bf-7abaab38c21c	1	received	3521-20261206-000001	[]		sistem	2026-12-06 09:35:51.452038
2	1	2	2	0ed5bf5c-559e-4f2a-a02e-78d4f66c3b3c	1	received	3521-20261206-000002	[]		sistem	2026-12-06 09:35:51.452038
3	1	3	3	8dd386b2-3a4d-4aba-8f69-c0265c44fa47	1	received	3521-20261206-000003	[]		sistem	2026-12-06 09:35:51.452038
4	1	4	1	ae152b08-958b-4831-97bf-7abaab38c21c	1	verified	3521-20261206-000001	[]		staf:rina	2026-12-06 09:35:51.483037
5	1	5	2	0ed5bf5c-559e-4f2a-a02e-78d4f66c3b3c	1	returned	3521-20261206-000002	[{"path": "", "requirement": "kk", "code": "", "message": "KK buram"}]		staf:rina	2026-12-06 09:35:51.488038
\.


--
-- Data for Name: outpost; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.outpost (id, code, name, kabupaten, feed_seq, active, created_at) FROM stdin;
1	35.21.01.2001	Desa Sukamaju	3521	5	t	2026-12-06 09:35:51.117062
\.


--
-- Data for Name: server_meta; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.server_meta (key, value) FROM stdin;
schema_version	1
\.


--
-- Data for Name: staff; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.staff (id, username, full_name, token_hash, active, created_at) FROM stdin;
1	rina	Rina	ed0ef78db0ed921b45f1d133de5d69fb150bde694bc3504ef0c57ba0db7d7640	t	2026-12-06 09:35:51.158914
\.


--
-- Data for Name: submission; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.submission (id, item_id, application_id, client_id, revision, content_hash, package, outcome, reasons, device_id, batch_id, received_at) FROM stdin;
1	57e5a20f-2335-4c53-a108-3b101261b31a	1	ae152b08-958b-4831-97bf-7abaab38c21c	1	9c17369bdb5444011c9862ad9fa0c298f15accc37973442ac2f43127f5e10ab1	{"item_id":"57e5a20f-2335-4c53-a108-3b101261b31a","client_id":"ae152b08-958b-4831-97bf-7abaab38c21c","revision":1,"service_code":"LAHIR-WNI","applicant":{"name":"KENZO PERMANA","nik":"3521090609020001","kk":"3521092707260001"},"site":"Kantor Desa","submitted_at":"2026-12-06T09:35:51.173615","forms":[{"form":"F-2.01","schema_version":"F-2.01@PMDN109-2019","answers":{"ayah":{"kewarganegaraan":1,"nama":"KENZO PERMANA","nik":"3521090609020001","tanggal_lahir":"2002-09-06","tempat_lahir":"NGAWI"},"ibu":{"kewarganegaraan":1,"nama":"ALYA SALSABILA","nik":"3521096608020001","tanggal_lahir":"2002-08-26","tempat_lahir":"NGAWI"},"kelahiran":{"berat_bayi":2750,"jenis_kelahiran":1,"jenis_kelamin":1,"kelahiran_ke":1,"nama":"FADIL ADITYA","panjang_bayi":48,"penolong_kelahiran":2,"pukul":"01:45","tanggal_lahir":"2026-11-02","tempat_dilahirkan":2,"tempat_kelahiran":"NGAWI"},"laporan":{"jenis_pelaporan":1,"tanggal_pelaporan":"2026-12-05"},"pelapor":{"kewarganegaraan":1,"nama":"KENZO PERMANA","nik":"3521090609020001","no_kk":"3521092707260001"},"saksi1":{"kewarganegaraan":1,"nama":"ANTON HIDAYAT HERMANTO","nik":"3521090209950001","no_kk":"3521091911260001"},"saksi2":{"kewarganegaraan":1,"nama":"DEDI WAHYUDI","nik":"3521090311830001","no_kk":"3521092907260001"},"subjek1":{"kewarganegaraan":1,"nama":"FADIL ADITYA","nik":"belum-punya-nik","no_kk":"3521092707260001"},"wilayah":{"kode_desa":"35.21.09.2011"}}}],"facts":{"asal_usul_tidak_diketahui":false,"buku_nikah_ada":true,"surat_lahir_ada":true},"documents":[{"requirement_id":"buku_nikah","substitute_id":"","document_id":"akta_perkawinan","pages":[{"sha256":"fe77c0697b3cd25351ccf929ca894e876cc52a632dbfc84aaa2e666d6ace3cd3","size":15629,"position":1,"media_type":"image/jpeg","source":"camera","dpi":200,"mode":"color","width":null,"height":null}]},{"requirement_id":"kk","substitute_id":"","document_id":"kk","pages":[{"sha256":"17a1e451e34902129ae308b49ed7e94aa39c1b59b4c967bbafa2d503b8bcf251","size":15402,"position":1,"media_type":"image/jpeg","source":"camera","dpi":200,"mode":"color","width":null,"height":null}]},{"requirement_id":"surat_keterangan_kelahiran","substitute_id":"","document_id":"surat_keterangan_kelahiran","pages":[{"sha256":"84d05d1de60dd225081b3cbb803ea1a408bb0ae97672523c9a05aebb2dbdb712","size":17171,"position":1,"media_type":"image/jpeg","source":"camera","dpi":200,"mode":"color","width":null,"height":null}]}],"signature":"dLLUaJZTDSl2zGIs1uydgLZpkVYVJcQzQl+WnPeSmgSCUei32ECgvjR47gjHDyUGevcB7/By8m/rywpXwq94Dg=="}	accepted	[]	1	c41b493d-9982-4819-a45e-4d6ff71486a9	2026-12-06 09:35:51.452038
2	4f94ddfe-14c6-46ed-ba70-558d4f553634	2	0ed5bf5c-559e-4f2a-a02e-78d4f66c3b3c	1	8a097626b96114de43673354f716785356d50697261aa4c2566ae864eca898dd	{"item_id":"4f94ddfe-14c6-46ed-ba70-558d4f553634","client_id":"0ed5bf5c-559e-4f2a-a02e-78d4f66c3b3c","revision":1,"service_code":"KEMATIAN","applicant":{"name":"SURYADI HARIYADI","nik":"3521162805920001","kk":"3521053011260001"},"site":"Kantor Desa","submitted_at":"2026-12-06T09:35:51.183861","forms":[{"form":"F-2.01","schema_version":"F-2.01@PMDN109-2019","answers":{"ayah":{"kewarganegaraan":1,"nama":"ANTON PRAYITNO"},"ibu":{"kewarganegaraan":1,"nama":"PUJI NURHAYATI"},"kematian":{"nama_lengkap":"PURNOMO UTOMO","nik":"3521050901670001","pukul":"12:36","sebab_kematian":1,"tanggal_kematian":"2026-11-27","tempat_kematian":"RUMAH DUKA","yang_menerangkan":2},"laporan":{"jenis_pelaporan":7,"tanggal_pelaporan":"2026-12-05"},"pelapor":{"kewarganegaraan":1,"nama":"SURYADI HARIYADI","nik":"3521162805920001","no_kk":"3521053011260001"},"saksi1":{"kewarganegaraan":1,"nama":"ILHAM HIDAYATULLAH SETIAWAN","nik":"3521050808000001","no_kk":"3521050109250001"},"saksi2":{"kewarganegaraan":1,"nama":"RUDI HIDAYAT","nik":"3521051610610001","no_kk":"3521051810220001"},"subjek1":{"jenis_kelamin":1,"kewarganegaraan":1,"nama":"PURNOMO UTOMO","nik":"3521050901670001","no_kk":"3521053011260001","tanggal_lahir":"1967-01-09"},"wilayah":{"kode_desa":"35.21.05.2014"}}}],"facts":{"wni_bukan_penduduk":false},"documents":[{"requirement_id":"kk_ktp_almarhum","substitute_id":"","document_id":"kk","pages":[{"sha256":"f8fd3dcfcde2158f6ada110fa0056a1b24758bacecd6a9292b512ead3421a6f6","size":11111,"position":1,"media_type":"image/jpeg","source":"camera","dpi":200,"mode":"color","width":null,"height":null}]},{"requirement_id":"surat_kematian","substitute_id":"","document_id":"surat_kematian","pages":[{"sha256":"06140bf67b245774acf768dec89573a4917d7979e1acf88575ac76eec0c6094e","size":17623,"position":1,"media_type":"image/jpeg","source":"camera","dpi":200,"mode":"color","width":null,"height":null}]}],"signature":"T29Z9SDrw1JsgG+wbFNOkQIY5HOObyMBQYbjpl8H6/YOXWWzgXqf8H+YDVW6DVr1Y3Tm3xgZfGbGikb6Ld1dBg=="}	accepted	[]	1	c41b493d-9982-4819-a45e-4d6ff71486a9	2026-12-06 09:35:51.452038
3	1bb6be2f-ea81-4109-aa7e-43048dc6b322	3	8dd386b2-3a4d-4aba-8f69-c0265c44fa47	1	664fd05356e5d8eec0dd1ecce1013eaa7baa702ad22e446c91c413e4318c1cf4	{"item_id":"1bb6be2f-ea81-4109-aa7e-43048dc6b322","client_id":"8dd386b2-3a4d-4aba-8f69-c0265c44fa47","revision":1,"service_code":"KK-BARU-KELUARGA","applicant":{"name":"ILHAM FIRMANSYAH","nik":"3521191810030001","kk":"3521190701090001"},"site":"Kantor Desa","submitted_at":"2026-12-06T09:35:51.195565","forms":[{"form":"F-1.01","schema_version":"F-1.01@PMDN109-2019","answers":{"anggota":[{"agama":3,"akta_kawin":2,"akta_lahir":2,"golongan_darah":11,"jenis_kelamin":1,"kelainan":1,"kewarganegaraan":1,"nama_ayah":"AGUS SUSANTO","nama_ibu":"CECILIA RINI RAHMAWATI","nama_lengkap":"PURNOMO HARIYADI","nik":"3521191305770001","nomor_akta_kawin":"3521-KW-31032002-0015","nomor_akta_lahir":"3521-LT-11111977-0014","pekerjaan":88,"pendidikan":8,"shdk":1,"status_kawin":2,"tanggal_kawin":"2002-03-31","tanggal_lahir":"1977-05-13","tempat_lahir":"NGAWI"},{"agama":3,"akta_kawin":2,"akta_lahir":2,"golongan_darah":2,"jenis_kelamin":2,"kelainan":1,"kewarganegaraan":1,"nama_ayah":"WARSITO WAHYUDI","nama_ibu":"VERONIKA PUTRI RAHMAWATI","nama_lengkap":"WARTINI LESTARI","nik":"3521196407800001","nomor_akta_kawin":"3521-KW-31032002-0017","nomor_akta_lahir":"3521-LT-01081981-0016","pekerjaan":2,"pendidikan":5,"shdk":3,"status_kawin":2,"tanggal_kawin":"2002-03-31","tanggal_lahir":"1980-07-24","tempat_lahir":"NGAWI"},{"agama":3,"akta_lahir":2,"golongan_darah":13,"jenis_kelamin":1,"kelainan":1,"kewarganegaraan":1,"nama_ayah":"PURNOMO HARIYADI","nama_ibu":"WARTINI LESTARI","nama_lengkap":"ILHAM FIRMANSYAH","nik":"3521191810030001","nik_ayah":"3521191305770001","nik_ibu":"3521196407800001","nomor_akta_lahir":"3521-LT-07012004-0018","pekerjaan":1,"pendidikan":4,"shdk":4,"status_kawin":1,"tanggal_lahir":"2003-10-18","tempat_lahir":"NGAWI"}],"header":{"alamat":"DUSUN WATES","dusun":"WATES","jenis_data":1,"jumlah_anggota":3,"kode_desa":"35.21.19.2008","kode_kabupaten":"35.21","kode_kecamatan":"35.21.19","kode_pos":"63281","kode_provinsi":"35","nama_kepala_keluarga":"PURNOMO HARIYADI","rt":"009","rw":"007"}}},{"form":"F-1.02","schema_version":"F-1.02@PMDN109-2019","answers":{"pemohon":{"kewarganegaraan":1,"nama":"ILHAM FIRMANSYAH","nik":"3521191810030001","no_kk":"3521190701090001","status_kawin":3,"tanggal_lahir":"2003-10-18"},"permohonan":{"jenis":["I.A.1"]},"persyaratan":{"dilampirkan":[4]}}},{"form":"F-1.05","schema_version":"F-1.05@PMDN109-2019","answers":{"istri":{"alamat":"DUSUN WATES RT 009 RW 007, KIYONTEN, KASREMAN, NGAWI","nama":"ESTI SRIYATUN","nik":"3521175210980001","tanggal_lahir":"1998-10-12","tempat_lahir":"NGAWI"},"perkawinan":{"jenis":1,"tanggal":"2026-08-27","tempat":"KIYONTEN"},"saksi1":{"alamat":"DUSUN KEMBANGAN RT 004 RW 003, KIYONTEN, KASREMAN, NGAWI","nama":"FAJAR SANTOSO","nik":"3521190405430001"},"saksi2":{"alamat":"DUSUN MULYOREJO RT 002 RW 006, KIYONTEN, KASREMAN, NGAWI","nama":"PETRUS LUKMAN SUGIHARTO","nik":"3521102109830001"},"suami":{"alamat":"DUSUN WATES RT 009 RW 007, KIYONTEN, KASREMAN, NGAWI","nama":"ILHAM FIRMANSYAH","nik":"3521191810030001","tanggal_lahir":"2003-10-18","tempat_lahir":"NGAWI"}}}],"facts":{},"documents":[{"requirement_id":"sptjm_belum_tercatat","substitute_id":"","document_id":"sptjm_perkawinan_belum_tercatat","pages":[{"sha256":"a065d215b3a3fc78e8544af316bcf568ae52c32a23eea941d9d0508004637dc8","size":16387,"position":1,"media_type":"image/jpeg","source":"camera","dpi":200,"mode":"color","width":null,"height":null}]}],"signature":"NaMmo7kT5ozdXdevmPPTQKinnGp+BzdwXjR1hIDLTx3EKcbR1BM9ni3dxfFqj3cFKL+EbPHT+7OJiCjOR/EMDA=="}	accepted	[]	1	c41b493d-9982-4819-a45e-4d6ff71486a9	2026-12-06 09:35:51.452038
\.


--
-- Name: application_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.application_id_seq', 3, true);


--
-- Name: audit_log_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_log_id_seq', 9, true);


--
-- Name: conflict_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.conflict_id_seq', 1, false);


--
-- Name: device_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.device_id_seq', 1, true);


--
-- Name: enrolment_code_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.enrolment_code_id_seq', 1, true);


--
-- Name: event_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.event_id_seq', 5, true);


--
-- Name: outpost_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outpost_id_seq', 1, true);


--
-- Name: staff_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.staff_id_seq', 1, true);


--
-- Name: submission_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.submission_id_seq', 3, true);


--
-- Name: application application_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.application
    ADD CONSTRAINT application_pkey PRIMARY KEY (id);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);


--
-- Name: batch batch_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.batch
    ADD CONSTRAINT batch_pkey PRIMARY KEY (batch_id);


--
-- Name: conflict conflict_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.conflict
    ADD CONSTRAINT conflict_pkey PRIMARY KEY (id);


--
-- Name: counter counter_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counter
    ADD CONSTRAINT counter_pkey PRIMARY KEY (key);


--
-- Name: device device_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.device
    ADD CONSTRAINT device_pkey PRIMARY KEY (id);


--
-- Name: document document_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.document
    ADD CONSTRAINT document_pkey PRIMARY KEY (sha256);


--
-- Name: enrolment_code enrolment_code_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enrolment_code
    ADD CONSTRAINT enrolment_code_pkey PRIMARY KEY (id);


--
-- Name: event event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_pkey PRIMARY KEY (id);


--
-- Name: outpost outpost_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outpost
    ADD CONSTRAINT outpost_pkey PRIMARY KEY (id);


--
-- Name: server_meta server_meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.server_meta
    ADD CONSTRAINT server_meta_pkey PRIMARY KEY (key);


--
-- Name: staff staff_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff
    ADD CONSTRAINT staff_pkey PRIMARY KEY (id);


--
-- Name: submission submission_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.submission
    ADD CONSTRAINT submission_pkey PRIMARY KEY (id);


--
-- Name: application_client_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX application_client_id ON public.application USING btree (client_id);


--
-- Name: application_outpost_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX application_outpost_id ON public.application USING btree (outpost_id);


--
-- Name: application_registration_number; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX application_registration_number ON public.application USING btree (registration_number);


--
-- Name: application_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX application_state ON public.application USING btree (state);


--
-- Name: batch_device_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX batch_device_id ON public.batch USING btree (device_id);


--
-- Name: conflict_device_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX conflict_device_id ON public.conflict USING btree (device_id);


--
-- Name: conflict_item_id_content_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX conflict_item_id_content_hash ON public.conflict USING btree (item_id, content_hash);


--
-- Name: conflict_outpost_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX conflict_outpost_id ON public.conflict USING btree (outpost_id);


--
-- Name: device_device_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX device_device_id ON public.device USING btree (device_id);


--
-- Name: device_outpost_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX device_outpost_id ON public.device USING btree (outpost_id);


--
-- Name: device_token_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX device_token_hash ON public.device USING btree (token_hash);


--
-- Name: enrolment_code_code_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX enrolment_code_code_hash ON public.enrolment_code USING btree (code_hash);


--
-- Name: enrolment_code_outpost_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX enrolment_code_outpost_id ON public.enrolment_code USING btree (outpost_id);


--
-- Name: event_application_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX event_application_id ON public.event USING btree (application_id);


--
-- Name: event_outpost_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX event_outpost_id ON public.event USING btree (outpost_id);


--
-- Name: event_outpost_id_seq; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX event_outpost_id_seq ON public.event USING btree (outpost_id, seq);


--
-- Name: outpost_code; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX outpost_code ON public.outpost USING btree (code);


--
-- Name: staff_token_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX staff_token_hash ON public.staff USING btree (token_hash);


--
-- Name: staff_username; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX staff_username ON public.staff USING btree (username);


--
-- Name: submission_application_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX submission_application_id ON public.submission USING btree (application_id);


--
-- Name: submission_client_id_revision; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX submission_client_id_revision ON public.submission USING btree (client_id, revision);


--
-- Name: submission_device_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX submission_device_id ON public.submission USING btree (device_id);


--
-- Name: submission_item_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX submission_item_id ON public.submission USING btree (item_id);


--
-- Name: application application_outpost_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.application
    ADD CONSTRAINT application_outpost_id_fkey FOREIGN KEY (outpost_id) REFERENCES public.outpost(id);


--
-- Name: batch batch_device_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.batch
    ADD CONSTRAINT batch_device_id_fkey FOREIGN KEY (device_id) REFERENCES public.device(id);


--
-- Name: conflict conflict_device_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.conflict
    ADD CONSTRAINT conflict_device_id_fkey FOREIGN KEY (device_id) REFERENCES public.device(id);


--
-- Name: conflict conflict_outpost_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.conflict
    ADD CONSTRAINT conflict_outpost_id_fkey FOREIGN KEY (outpost_id) REFERENCES public.outpost(id);


--
-- Name: device device_outpost_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.device
    ADD CONSTRAINT device_outpost_id_fkey FOREIGN KEY (outpost_id) REFERENCES public.outpost(id);


--
-- Name: enrolment_code enrolment_code_outpost_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enrolment_code
    ADD CONSTRAINT enrolment_code_outpost_id_fkey FOREIGN KEY (outpost_id) REFERENCES public.outpost(id);


--
-- Name: event event_application_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_application_id_fkey FOREIGN KEY (application_id) REFERENCES public.application(id);


--
-- Name: event event_outpost_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_outpost_id_fkey FOREIGN KEY (outpost_id) REFERENCES public.outpost(id);


--
-- Name: submission submission_application_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.submission
    ADD CONSTRAINT submission_application_id_fkey FOREIGN KEY (application_id) REFERENCES public.application(id);


--
-- Name: submission submission_device_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.submission
    ADD CONSTRAINT submission_device_id_fkey FOREIGN KEY (device_id) REFERENCES public.device(id);


--
-- PostgreSQL database dump complete
--


