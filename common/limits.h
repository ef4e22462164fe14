/*
 * limits.h: every cap on data that comes from the network or a user, in one
 * place (STYLE.md rule 9). Include as "common/limits.h".
 */
#ifndef RF_COMMON_LIMITS_H
#define RF_COMMON_LIMITS_H

/* Strings built in a struct buf with no explicit cap stop here. */
#define RF_BUF_MAX_DEFAULT		((size_t)1 << 30)	/* 1 GiB */

/* Input files given to scan or extract. */
#define RF_INPUT_MAX_BYTES		((size_t)64 << 20)	/* 64 MiB */
/* Bytes looked at to decide whether an input is binary or HTML. */
#define RF_SNIFF_BYTES			((size_t)4096)
/* Bytes given to the charset detector. */
#define RF_DETECT_BYTES			((size_t)256 << 10)	/* 256 KiB */
/*
 * Files up to this size are read whole by the directory walk, which opens
 * each file anyway to tell WARC files by their first bytes; larger ones
 * are read again by whoever scans them. The jobs of a scan's window hold
 * such copies: at most RF_SCAN_WINDOW of them.
 */
#define RF_WALK_READ_MAX_BYTES		((size_t)256 << 10)	/* 256 KiB */
/* Directory recursion depth for scan and extract. */
#define RF_DIR_MAX_DEPTH		64

/* Inputs in flight between the directory walk and the output. */
#define RF_SCAN_WINDOW			64
/* Threads of scan -j. */
#define RF_SCAN_MAX_JOBS		64

/* Extracted text per field; longer text marks the document truncated. */
#define RF_FIELD_MAX_BYTES		((size_t)8 << 20)	/* 8 MiB */
/* Elements visited in one HTML tree; more marks the document truncated. */
#define RF_HTML_MAX_NODES		((size_t)2000000)
/* Element nesting depth walked; deeper text marks the document truncated. */
#define RF_HTML_MAX_DEPTH		4096
/* libxml2's memory for one page taken from an arena (scanner/xmlarena.h);
 * past it, from malloc() as usual. */
#define RF_XML_ARENA_MAX_BYTES		((size_t)64 << 20)	/* 64 MiB */

/* JSON-LD blocks: bytes, nesting, array items searched. */
#define RF_JSONLD_MAX_BYTES		((size_t)2 << 20)	/* 2 MiB */
#define RF_JSONLD_MAX_DEPTH		32
#define RF_JSONLD_MAX_ITEMS		1000
#define RF_JSONLD_MAX_BLOCKS		16

/*
 * Extraction profiles (scanner/profile.h, redflag-profile(5)): a profile
 * file, the profiles loaded in all, the files read from a folder, the URL
 * patterns and drop XPaths of one profile, one XPath expression.
 */
#define RF_PROFILE_FILE_MAX_BYTES	((size_t)1 << 20)	/* 1 MiB */
#define RF_PROFILE_MAX			1024
#define RF_PROFILE_MAX_FILES		1024
#define RF_PROFILE_MAX_LIST		64
#define RF_PROFILE_XPATH_MAX_BYTES	((size_t)4096)
/* Nodes taken from what one XPath selects on a page; the rest are left. */
#define RF_PROFILE_MAX_NODES		1000
/* XPath steps one evaluation may take (libxml2's opLimit): what an
 * analyst's expression may spend on a hostile page. */
#define RF_PROFILE_XPATH_OPS		50000000ul
/* Salary, location, employer or posted date from a profile; longer text
 * is cut at a character boundary (title, body and contacts: the field
 * cap, RF_FIELD_MAX_BYTES). */
#define RF_PROFILE_FIELD_MAX_BYTES	((size_t)4096)

/* Items read from one RSS or Atom feed. */
#define RF_FEED_MAX_ITEMS		10000

/*
 * text_fold() input; callers cap fields lower (RF_FIELD_MAX_BYTES). The
 * offset map holds 32-bit offsets, and the folded view is at most
 * RF_FOLD_EXPANSION times its input (an invalid byte becomes U+FFFD).
 */
#define RF_FOLD_INPUT_MAX		((size_t)256 << 20)	/* 256 MiB */
#define RF_FOLD_EXPANSION		3

/* One field of a labelled CSV file (redflag eval). */
#define RF_CSV_FIELD_MAX		((size_t)4 << 20)	/* 4 MiB */
/* A labelled file for redflag eval. */
#define RF_EVAL_FILE_MAX		((size_t)1 << 30)	/* 1 GiB */
/* Bytes of a text that language identification looks at (text.h). */
#define RF_LANGID_MAX_BYTES		((size_t)64 << 10)	/* 64 KiB */

/* Rule files. */
#define RF_RULEFILE_MAX_BYTES		((size_t)16 << 20)	/* 16 MiB */
#define RF_RULE_MAX_PATTERNS		256
/* PCRE2 match limit per call; a pattern that hits it is a rule error. */
#define RF_PCRE2_MATCH_LIMIT		1000000u
/* JIT stack per matcher. */
#define RF_PCRE2_JIT_STACK_MAX		((size_t)1 << 20)	/* 1 MiB */
/* Bytes of the prefilter's dense DFA (rules/prefilter.c); a bigger
 * ruleset falls back to the slower sparse automaton. */
#define RF_PREFILTER_DFA_MAX		((size_t)32 << 20)	/* 32 MiB */
/* Where the prefilter notes that a pattern's prefix atoms end, so
 * PCRE2 is tried only where they start: places per document (past it,
 * every pattern's PCRE2 searches the whole text), and per prefix set
 * (past it, that pattern's does): the same matches, more time. */
#define RF_PREFILTER_POS_MAX		16384u
#define RF_PREFILTER_POS_PER_SET	512u
/* The on-disk cache of compiled rulesets (rules/cache.c): bytes of one
 * entry, entries kept in the directory, depth of a condition it holds. */
#define RF_RULECACHE_MAX_BYTES		((size_t)64 << 20)	/* 64 MiB */
#define RF_RULECACHE_KEEP		8
#define RF_RULECACHE_COND_DEPTH		4096
/* The widest word window of near() and unnegated(). */
#define RF_WINDOW_MAX_WORDS		1000
/* Hits kept per rule per field; more are counted, not stored. */
#define RF_HITS_PER_RULE_MAX		64
/* Bytes of matched text copied into a hit. */
#define RF_HIT_TEXT_MAX			((size_t)512)

/* Hunspell dictionaries read for ~lemma terms (rules/lemma.c). */
#define RF_LEMMA_AFF_MAX_BYTES		((size_t)16 << 20)	/* 16 MiB */
#define RF_LEMMA_DIC_MAX_BYTES		((size_t)64 << 20)	/* 64 MiB */
/* Bytes in one line of a .aff or .dic file. */
#define RF_LEMMA_LINE_MAX		8192
/* Affix rules (PFX and SFX lines) and flag aliases (AF) in one .aff. */
#define RF_LEMMA_AFFIXES_MAX		200000
#define RF_LEMMA_ALIASES_MAX		65535
/* Flags on one word or affix; bytes in a lemma or one of its forms. */
#define RF_LEMMA_FLAGS_MAX		1024
#define RF_LEMMA_WORD_MAX		256
/* Candidate forms generated for one lemma before hunspell's check. */
#define RF_LEMMA_FORMS_MAX		8192

/* The largest number in a rule condition's comparison (phones >= N). */
#define RF_COND_NUMBER_MAX		1000000000

/* Contacts and other entities kept per document. */
#define RF_ENTITIES_MAX			256

/* WARC files (crawler/warc.h). */
/* One WARC record header, version line to blank line; longer is malformed. */
#define RF_WARC_HEADER_MAX		((size_t)64 << 10)	/* 64 KiB */
/* Named fields in one WARC record header. */
#define RF_WARC_FIELDS_MAX		256
/* Block bytes a WARC reader keeps in memory when its caller names no cap;
 * longer blocks are skipped (still digested) and reported. */
#define RF_WARC_BLOCK_MAX_DEFAULT	RF_INPUT_MAX_BYTES
/* The prefix of WARC file names, from a job config. */
#define RF_WARC_PREFIX_MAX		64
/* The head (start line and header fields) of a recorded HTTP message. */
#define RF_HTTP_HEAD_MAX		((size_t)256 << 10)	/* 256 KiB */
/* Header fields parsed from one recorded HTTP head. */
#define RF_HTTP_FIELDS_MAX		512
/* One chunk-size or trailer line of a chunked HTTP body. */
#define RF_HTTP_CHUNK_LINE_MAX		((size_t)4096)

/* JSON writer nesting. */
#define RF_JSON_MAX_DEPTH		32

/*
 * robots.txt (crawler/robots.h). RFC 9309 2.5 asks crawlers to parse at
 * least 500 KiB; bytes beyond are ignored, and so is a line cut by the cap.
 */
#define RF_ROBOTS_MAX_BYTES		((size_t)500 << 10)	/* 500 KiB */
/*
 * Bytes of one robots.txt line read; the rest of the line is ignored.
 * Google reads 16 KiB; we never check paths longer than
 * RF_URL_INPUT_MAX_BYTES, which longer patterns could hardly match.
 */
#define RF_ROBOTS_LINE_MAX		((size_t)8 << 10)	/* 8 KiB */
/* Sitemap lines kept from one robots.txt; later ones are ignored. */
#define RF_ROBOTS_MAX_SITEMAPS		1000
/* A Crawl-delay above this many seconds is read as this (one day). */
#define RF_ROBOTS_CRAWL_DELAY_MAX	86400.0

/*
 * URLs (crawler/url.h). A normalised URL longer than RF_URL_MAX_BYTES is
 * not crawled: the sitemaps protocol and old browsers stop near 2 KiB, so
 * sites keep their pages below it; longer URLs are mostly session or
 * calendar traps.
 * Raw links and seeds may be longer before tracking parameters and
 * encoding are normalised, up to RF_URL_INPUT_MAX_BYTES.
 */
#define RF_URL_MAX_BYTES		((size_t)2048)
#define RF_URL_INPUT_MAX_BYTES		((size_t)8192)
/* A path segment seen this many times makes a URL a crawler trap. */
#define RF_URL_TRAP_REPEATS		3

/*
 * The store (store/store.h). Display text from pages is cut at a
 * character boundary to these many bytes; identifiers longer than theirs
 * are refused, since a cut identifier would merge distinct things.
 */
/* A listing's title. */
#define RF_STORE_TITLE_MAX		((size_t)1024)
/* Salary, location, employer, posted date; a run's stop reason; a page's
 * content type. */
#define RF_STORE_FIELD_MAX		((size_t)1024)
/* A listing version's extracted body; findings' offsets still refer to
 * the whole text. */
#define RF_STORE_TEXT_MAX		((size_t)256 << 10)	/* 256 KiB */
/* Findings kept per listing version and run; more are dropped (the score
 * is kept as given). */
#define RF_STORE_FINDINGS_MAX		1024
/* Contacts linked per sighting of a listing; more are dropped. */
#define RF_STORE_CONTACTS_MAX		RF_ENTITIES_MAX
/* A contact's normalized value; longer ones are dropped. */
#define RF_STORE_CONTACT_MAX		((size_t)512)
/* Names: job, site, language, rule id and version, indicator, field,
 * rule-pack version and hash, WARC-Record-ID. */
#define RF_STORE_NAME_MAX		((size_t)256)
/* A WARC file's path. */
#define RF_STORE_PATH_MAX		((size_t)4096)

/*
 * The crawler (crawler/crawl.h). Caps enforced while a response streams in;
 * the time limits are defaults a job file may lower or raise within the
 * _MAX values.
 */
/* Response body bytes kept per fetch; the transfer is cut off beyond. */
#define RF_CRAWL_BODY_MAX		((size_t)8 << 20)	/* 8 MiB */
/* Bytes a gzip, deflate, br or zstd body may decode to (bombs stop
 * here). */
#define RF_CRAWL_INFLATE_MAX		((size_t)32 << 20)	/* 32 MiB */
/* Largest window a zstd-encoded body may ask for (2^23 = 8 MiB, what
 * RFC 8878 requires of HTTP decoders): a bigger one is refused. */
#define RF_CRAWL_ZSTD_WINDOW_LOG	23
/* Response head bytes (status line and fields) per fetch. */
#define RF_CRAWL_HEAD_MAX		((size_t)64 << 10)	/* 64 KiB */
/* Links taken from one page; the rest are counted and dropped. */
#define RF_CRAWL_OUTLINKS_MAX		5000
/* Redirects followed from the first URL before a target is dropped. */
#define RF_CRAWL_REDIRECTS_MAX		5
/* Seconds to connect, for a whole transfer, and the low-speed abort:
 * fewer than LOW_SPEED bytes/s for LOW_SPEED_TIME seconds. */
#define RF_CRAWL_CONNECT_TIMEOUT	15.0
#define RF_CRAWL_TIMEOUT		60.0
#define RF_CRAWL_LOW_SPEED		512L
#define RF_CRAWL_LOW_SPEED_TIME		20L
#define RF_CRAWL_TIMEOUT_MAX		3600.0
/* Default and largest per-host delay between requests, in seconds. */
#define RF_CRAWL_DELAY_DEFAULT		1.0
/* A Crawl-delay above this is not obeyed as such: the host is reported
 * and crawled at this delay (RF_ROBOTS_CRAWL_DELAY_MAX bounds parsing). */
#define RF_CRAWL_DELAY_MAX		60.0
/* Back-off after 429/503 or a failure: base * 2^n with jitter, capped. */
#define RF_CRAWL_BACKOFF_BASE		2.0
#define RF_CRAWL_BACKOFF_MAX		900.0
/* A Retry-After longer than this puts the URL off to a later run. */
#define RF_CRAWL_RETRY_AFTER_MAX	3600.0
/* Fetches of one URL per run before it is given up until the next run. */
#define RF_CRAWL_ATTEMPTS_MAX		3
/* Consecutive connection failures or timeouts that park a host. */
#define RF_CRAWL_PARK_FAILURES		5
/* Transfers in flight at once, all hosts together. */
#define RF_CRAWL_ACTIVE_MAX		64
/* Defaults of a crawl without a job file: enough for a site of a few
 * hundred listings behind pagination (pagination does not use depth). */
#define RF_CRAWL_DEPTH_DEFAULT		5
#define RF_CRAWL_PAGES_DEFAULT		10000
/* Job files (crawler/job.h). */
#define RF_JOB_MAX_BYTES		((size_t)1 << 20)	/* 1 MiB */
#define RF_JOB_MAX_SITES		256
/* Seeds and URL patterns of one site. */
#define RF_JOB_MAX_LIST			1024
/* Sites whose robots.txt is read: Sitemap URLs followed per host. */
#define RF_CRAWL_SITEMAPS_MAX		16
/* Bytes of a sitemap read (the sitemaps protocol caps a file at 50 MiB;
 * we keep less and count the rest as truncated). */
#define RF_CRAWL_SITEMAP_MAX		((size_t)8 << 20)	/* 8 MiB */

/*
 * Reports (reports/reports.h).
 */
/* A rendered report; a report that would pass it fails with RF_ETOOBIG. */
#define RF_REPORT_MAX_BYTES		((size_t)512 << 20)	/* 512 MiB */
/* Listings shown in detail in one HTML report; the rest are counted (CSV
 * and JSON Lines keep them all). */
#define RF_REPORT_HTML_LISTINGS_MAX	2000
/* Listings whose text is compared for near-duplicates in one run; beyond
 * it the highest-scored are kept and the clusters say so. */
#define RF_REPORT_SIMHASH_LISTINGS_MAX	100000
/* Bytes of a listing's title and text that go into its simhash. */
#define RF_REPORT_SIMHASH_BYTES		((size_t)64 << 10)	/* 64 KiB */
/* A pseudonymization key file: its bytes, trailing white space removed,
 * are the HMAC key. */
#define RF_REPORT_KEY_MIN_BYTES		((size_t)16)
#define RF_REPORT_KEY_MAX_BYTES		((size_t)1024)

#endif
