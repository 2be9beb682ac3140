/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Differential test generator for libnetfilter_conntrack.
 *
 *   gen SEED COUNT [LABELMAP] [-v] [-o INDEX] [-x FUNC,...]
 *   gen -m
 *
 * From SEED (own xorshift generator, so the sequence is the same on every
 * machine), builds COUNT conntrack objects and about as many expectations
 * through the public API, and prints what the library says about each of
 * them: nfct_snprintf in every format, message type and flag combination,
 * the bytes written into short buffers, getters, nfct_cmp, nfct_copy,
 * object options, netlink encoding and decoding. Running it once against
 * the original library and once against ours must give byte-identical
 * output.
 *
 * Long outputs are folded into FNV-1a hashes so that a run stays small;
 * -v prints everything in full, -o INDEX prints only object INDEX (the
 * generator still walks all objects before it, so the object is the same).
 * t-diff.sh uses both to explain a difference. -m lists the functions the
 * loaded library lacks; -x leaves out the parts that need the functions
 * named.
 *
 * The clock is pinned: this program defines time(), clock_gettime() and
 * gettimeofday(), which the dynamic linker prefers over libc's for the
 * library too, so "delta-time" and the XML <when> element do not depend
 * on when the test runs. Run with TZ=UTC.
 *
 * Left out, because the original crashes, exits or reads memory that is
 * not its own: buffer size 0 (nfct_snprintf and nfexp_snprintf assert,
 * nfct_snprintf_labels writes at buf[UINT_MAX]); nfct_copy_attr with ids
 * past the end; setters narrower than the attribute, and
 * nfexp_set_attr_u8 on ATTR_EXP_NAT_DIR (they read past the argument);
 * getters wider than the attribute (they read neighbouring fields);
 * malformed netlink attributes (abi_breakage() exits) and CTA_EXPECT_FN
 * longer than 24 bytes (assert). Left out because 1.0.9 and 1.1.1 differ:
 * attribute 75 (ATTR_TIMESTAMP_EVENT) and the netlink attributes 26 and
 * 27 (CTA_STATUS_MASK, CTA_TIMESTAMP_EVENT).
 */

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

/* ---- which functions the library has ------------------------------------ */

/*
 * Every library function gen calls is a weak reference: a library that
 * lacks some (ours, while it is being written) still loads, `gen -m` lists
 * what is missing, and `-x a,b` leaves out the sections that need them in
 * both runs so that the rest can still be compared.
 */
enum section { S_CORE, S_BITMASK, S_LABELS, S_GRP, S_OBJOPT, S_ARRAY, S_CMP,
	       S_COPY, S_NLMSG, S_OLDPARSE, S_FILTER, S_EXPECT, S_EXPNL, S_N };

static const char *const section_names[S_N] = {
	"core", "bitmask", "labels", "groups", "objopt", "is_set_array", "cmp",
	"copy", "nlmsg", "oldparse", "filter_dump", "expect", "expect_nlmsg",
};

#define API(X) \
	X(S_CORE, nfct_new) X(S_CORE, nfct_destroy) X(S_CORE, nfct_clone) \
	X(S_CORE, nfct_set_attr) X(S_CORE, nfct_set_attr_l) \
	X(S_CORE, nfct_set_attr_u8) X(S_CORE, nfct_set_attr_u16) \
	X(S_CORE, nfct_set_attr_u32) X(S_CORE, nfct_set_attr_u64) \
	X(S_CORE, nfct_get_attr) X(S_CORE, nfct_get_attr_u8) \
	X(S_CORE, nfct_get_attr_u16) X(S_CORE, nfct_get_attr_u32) \
	X(S_CORE, nfct_get_attr_u64) X(S_CORE, nfct_attr_is_set) \
	X(S_CORE, nfct_attr_unset) X(S_CORE, nfct_snprintf) \
	X(S_BITMASK, nfct_bitmask_new) X(S_BITMASK, nfct_bitmask_set_bit) \
	X(S_BITMASK, nfct_bitmask_unset_bit) X(S_BITMASK, nfct_bitmask_clear) \
	X(S_BITMASK, nfct_bitmask_maxbit) X(S_BITMASK, nfct_bitmask_test_bit) \
	X(S_LABELS, nfct_snprintf_labels) X(S_LABELS, nfct_labelmap_new) \
	X(S_LABELS, nfct_labelmap_destroy) X(S_LABELS, nfct_labelmap_get_name) \
	X(S_LABELS, nfct_labelmap_get_bit) X(S_LABELS, nfct_labels_get_path) \
	X(S_GRP, nfct_set_attr_grp) X(S_GRP, nfct_get_attr_grp) \
	X(S_GRP, nfct_attr_grp_is_set) X(S_GRP, nfct_attr_grp_unset) \
	X(S_OBJOPT, nfct_getobjopt) X(S_OBJOPT, nfct_setobjopt) \
	X(S_ARRAY, nfct_attr_is_set_array) \
	X(S_CMP, nfct_cmp) X(S_CMP, nfct_compare) \
	X(S_COPY, nfct_copy) X(S_COPY, nfct_copy_attr) \
	X(S_NLMSG, nfct_nlmsg_build) X(S_NLMSG, nfct_nlmsg_parse) \
	X(S_OLDPARSE, nfct_parse_conntrack) X(S_OLDPARSE, nfct_payload_parse) \
	X(S_FILTER, nfct_filter_dump_create) X(S_FILTER, nfct_filter_dump_destroy) \
	X(S_FILTER, nfct_filter_dump_set_attr) \
	X(S_FILTER, nfct_filter_dump_set_attr_u8) \
	X(S_FILTER, nfct_nlmsg_build_filter) \
	X(S_EXPECT, nfexp_new) X(S_EXPECT, nfexp_destroy) X(S_EXPECT, nfexp_clone) \
	X(S_EXPECT, nfexp_set_attr) X(S_EXPECT, nfexp_set_attr_u16) \
	X(S_EXPECT, nfexp_set_attr_u32) X(S_EXPECT, nfexp_get_attr) \
	X(S_EXPECT, nfexp_get_attr_u8) X(S_EXPECT, nfexp_get_attr_u16) \
	X(S_EXPECT, nfexp_get_attr_u32) X(S_EXPECT, nfexp_attr_is_set) \
	X(S_EXPECT, nfexp_attr_unset) X(S_EXPECT, nfexp_snprintf) \
	X(S_EXPECT, nfexp_cmp) \
	X(S_EXPNL, nfexp_nlmsg_build) X(S_EXPNL, nfexp_nlmsg_parse) \
	X(S_EXPNL, nfexp_parse_expect)

#define PRAGMA(x) _Pragma(#x)
#define WEAK(sec, f) PRAGMA(weak f)
API(WEAK)

struct api {
	enum section sec;
	const char *name;
	void (*fn)(void);
};

#define ENTRY(s, f) { s, #f, (void (*)(void))f },
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static const struct api api_table[] = { API(ENTRY) };
#pragma GCC diagnostic pop
#define NAPI (sizeof(api_table) / sizeof(api_table[0]))

static int sec_on[S_N];

static int on(enum section s)
{
	return sec_on[s];
}

/* ---- pinned clock ---------------------------------------------------- */

#define PINNED_NOW 1700000000 /* 2023-11-14 22:13:20 UTC */

time_t time(time_t *t)
{
	if (t)
		*t = PINNED_NOW;
	return PINNED_NOW;
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	(void)clk;
	ts->tv_sec = PINNED_NOW;
	ts->tv_nsec = 0;
	return 0;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	(void)tz;
	tv->tv_sec = PINNED_NOW;
	tv->tv_usec = 0;
	return 0;
}

/* ---- numbers shared by 1.0.9 and 1.1.1 ------------------------------- */

/*
 * The last conntrack attribute id both versions know. 1.1.1 adds
 * ATTR_TIMESTAMP_EVENT (75), which 1.0.9 rejects as out of range, so id 75
 * is never used here.
 */
#define LAST_ATTR 74
#define NATTR (LAST_ATTR + 1)
#define LAST_EXP_ATTR 10
#define LAST_GRP 15

/* Attribute ids past the end, in the setters, getters and checkers. */
static const unsigned int bad_ids[] = { 76, 77, 100, 255, 1000, 0x7fffffff,
					0xffffffff };
#define NBAD (sizeof(bad_ids) / sizeof(bad_ids[0]))

enum kind { K_U8, K_U16, K_U32, K_U64, K_U128, K_STR, K_SECCTX, K_BLOB,
	    K_BITMASK };

static enum kind attr_kind(unsigned int a)
{
	switch (a) {
	case 4: case 5: case 6: case 7: case 39: case 40: case 70: case 71:
		return K_U128;
	case 8: case 9: case 10: case 11: case 14: case 22: case 23:
	case 41: case 42: case 61: case 68: case 69:
		return K_U16;
	case 12: case 13: case 15: case 16: case 17: case 18: case 19:
	case 33: case 34: case 35: case 36: case 43: case 44: case 52:
	case 56: case 57: case 59: case 60:
		return K_U8;
	case 26: case 27: case 28: case 29: case 58: case 63: case 64:
		return K_U64;
	case 55:
		return K_STR;
	case 62:
		return K_SECCTX;
	case 65:
		return K_BLOB;
	case 66: case 67:
		return K_BITMASK;
	default:
		return K_U32;
	}
}

/* ---- random numbers ---------------------------------------------------- */

static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
	/* splitmix64 spreads small seeds over the whole state */
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	rng_state = (z ^ (z >> 31)) | 1;
}

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)((rnd() >> 32) % n) : 0;
}

static int pct(unsigned int p)
{
	return rn(100) < p;
}

static uint32_t r32(void)
{
	switch (rn(6)) {
	case 0: return 0;
	case 1: return rn(10);
	case 2: return rn(100000);
	case 3: return 0xffffffffu - rn(3);
	case 4: return 1u << rn(32);
	default: return (uint32_t)rnd();
	}
}

static uint64_t r64(void)
{
	switch (rn(5)) {
	case 0: return 0;
	case 1: return rn(1000);
	case 2: return ~0ULL - rn(3);
	case 3: return (uint64_t)r32() << 32 | r32();
	default: return rnd();
	}
}

/* ---- output ------------------------------------------------------------- */

static int verbose;
static long only = -1;
static long cur_index;

static int printing(void)
{
	return only < 0 || only == cur_index;
}

__attribute__((format(printf, 1, 2)))
static void out(const char *fmt, ...)
{
	va_list ap;

	if (!printing())
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static void out_escaped(const unsigned char *p, size_t n)
{
	size_t i;

	if (!printing())
		return;
	for (i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			putchar(p[i]);
		else
			printf("\\x%02x", p[i]);
	}
}

static void out_hex(const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t i;

	if (!printing())
		return;
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FNV_INIT 0xcbf29ce484222325ULL

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s, strlen(s) + 1);
}

static uint64_t fnv_int(uint64_t h, long long v)
{
	return fnv(h, &v, sizeof(v));
}

/* One big buffer for every snprintf: the original reads past the size it
 * was given in nfexp_snprintf, so the memory behind must exist. */
#define BIG 65536
static char big[BIG];

/* ---- values ------------------------------------------------------------- */

static uint32_t gen_v4(void)
{
	static const uint32_t fixed[] = { 0x00000000, 0xffffffff, 0x7f000001,
					  0xc0a80001, 0x0a000001, 0xe0000001,
					  0x01020304, 0xac100a0b };

	if (pct(30))
		return htonl(fixed[rn(sizeof(fixed) / sizeof(fixed[0]))]);
	if (pct(30))
		return htonl(0xc0a80000 | rn(65536));
	return (uint32_t)rnd();
}

/* IPv6 addresses that exercise every inet_ntop rule. */
static void gen_v6(uint8_t a[16])
{
	uint16_t w[8];
	unsigned int i, start, len;

	memset(w, 0, sizeof(w));
	switch (rn(12)) {
	case 0:			/* :: */
		break;
	case 1:			/* ::1 */
		w[7] = 1;
		break;
	case 2:			/* v4-mapped */
		w[5] = 0xffff;
		w[6] = rn(65536);
		w[7] = rn(65536);
		break;
	case 3:			/* v4-compatible */
		w[6] = 1 + rn(65535);
		w[7] = rn(65536);
		break;
	case 4:			/* one zero run somewhere */
		for (i = 0; i < 8; i++)
			w[i] = rn(65536);
		start = rn(8);
		len = 1 + rn(8 - start);
		for (i = start; i < start + len; i++)
			w[i] = 0;
		break;
	case 5:			/* two zero runs */
		for (i = 0; i < 8; i++)
			w[i] = 1 + rn(65535);
		w[1] = w[2] = 0;
		w[4 + rn(2)] = 0;
		if (pct(50))
			w[6] = 0;
		break;
	case 6:			/* link local */
		w[0] = 0xfe80;
		w[4] = rn(65536);
		w[7] = rn(65536);
		break;
	case 7:			/* all ones */
		for (i = 0; i < 8; i++)
			w[i] = 0xffff;
		break;
	case 8:			/* NAT64 */
		w[0] = 0x64;
		w[1] = 0xff9b;
		w[6] = rn(65536);
		w[7] = rn(65536);
		break;
	case 9:			/* zero in the last word only */
		for (i = 0; i < 7; i++)
			w[i] = rn(65536);
		break;
	case 10:		/* ::ffff:0:a.b.c.d (SIIT) and ::0:1 */
		w[4] = pct(50) ? 0xffff : 0;
		w[6] = rn(2);
		w[7] = rn(65536);
		break;
	default:
		for (i = 0; i < 8; i++)
			w[i] = pct(20) ? 0 : rn(65536);
		break;
	}
	for (i = 0; i < 8; i++) {
		a[2 * i] = w[i] >> 8;
		a[2 * i + 1] = w[i] & 0xff;
	}
}

static uint16_t gen_port(void)
{
	static const uint16_t fixed[] = { 0, 1, 21, 22, 53, 80, 443, 1023, 1024,
					  5060, 32768, 65535 };

	if (pct(50))
		return htons(fixed[rn(sizeof(fixed) / sizeof(fixed[0]))]);
	return (uint16_t)rnd();
}

static uint8_t gen_l4(int fam)
{
	static const uint8_t odd[] = { 0, 2, 4, 41, 47, 50, 51, 89, 103, 115,
				       132, 136, 143, 253, 255 };
	unsigned int r = rn(100);

	if (r < 30) return IPPROTO_TCP;
	if (r < 45) return IPPROTO_UDP;
	if (r < 50) return IPPROTO_UDPLITE;
	if (r < 60) return fam == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	if (r < 64) return fam == AF_INET6 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	if (r < 72) return IPPROTO_SCTP;
	if (r < 80) return IPPROTO_DCCP;
	if (r < 88) return IPPROTO_GRE;
	return odd[rn(sizeof(odd) / sizeof(odd[0]))];
}

static int gen_family(void)
{
	static const int odd[] = { 0, 1, 7, 3, 29, 255 };
	unsigned int r = rn(100);

	if (r < 65) return AF_INET;
	if (r < 93) return AF_INET6;
	return odd[rn(sizeof(odd) / sizeof(odd[0]))];
}

static uint8_t gen_state(unsigned int max)
{
	static const uint8_t odd[] = { 10, 11, 12, 15, 16, 100, 128, 254, 255 };

	if (pct(85))
		return rn(max);
	return odd[rn(sizeof(odd) / sizeof(odd[0]))];
}

static uint32_t gen_status(void)
{
	uint32_t s = 0;
	unsigned int i;

	if (pct(10))
		return r32();
	for (i = 0; i < 16; i++)
		if (pct(35))
			s |= 1u << i;
	if (pct(10))
		s |= 1u << (16 + rn(16));
	return s;
}

static uint8_t gen_icmp_type(int v6)
{
	static const uint8_t v4[] = { 0, 3, 5, 8, 11, 13, 14, 15, 16, 17, 18 };
	static const uint8_t six[] = { 1, 2, 128, 129, 130, 131, 133, 135, 136,
				       139, 140 };

	if (pct(15))
		return rn(256);
	if (v6)
		return six[rn(sizeof(six) / sizeof(six[0]))];
	return v4[rn(sizeof(v4) / sizeof(v4[0]))];
}

static const char *const helpers[] = {
	"ftp", "sip", "h323", "irc", "tftp", "amanda", "pptp", "sane",
	"netbios-ns", "snmp", "", "RAS", "Q.931", "a23456789012345",
	"a234567890123456", "a2345678901234567890123456789",
	"helper-with-a-name-far-longer-than-thirty-bytes-x",
};
#define NHELPERS (sizeof(helpers) / sizeof(helpers[0]))

static const char *const secctxs[] = {
	"system_u:object_r:unlabeled_t:s0", "unconfined", "", "x",
	"a-somewhat-long-security-context-string:with:colons:s0-s15:c0.c1023",
};
#define NSECCTX (sizeof(secctxs) / sizeof(secctxs[0]))

static struct nfct_bitmask *gen_bitmask(void)
{
	static const unsigned int maxbits[] = { 0, 7, 31, 32, 63, 64, 127, 128,
						200, 255, 511, 1023, 1024,
						2047 };
	unsigned int max = maxbits[rn(sizeof(maxbits) / sizeof(maxbits[0]))];
	struct nfct_bitmask *b;
	unsigned int i, n;

	if (!on(S_BITMASK))
		return NULL;
	b = nfct_bitmask_new(max);
	if (!b)
		return NULL;
	n = rn(8);
	for (i = 0; i < n; i++)
		nfct_bitmask_set_bit(b, rn(max + 1));
	if (pct(30))
		nfct_bitmask_set_bit(b, max);
	if (pct(20))
		nfct_bitmask_unset_bit(b, rn(max + 1));
	if (pct(5))
		nfct_bitmask_clear(b);
	return b;
}

/* ---- conntrack generation ---------------------------------------------- */

struct ctx {
	int fam;
	uint8_t l4;
};

/* Sets a number of `width` bytes through one of the setters. A wider
 * setter than the attribute is allowed: only the low bytes count. */
static void set_num(struct nf_conntrack *ct, unsigned int id, int width,
		    uint64_t v)
{
	uint8_t v8 = v;
	uint16_t v16 = v;
	uint32_t v32 = v;
	uint64_t v64 = v;
	unsigned int r = rn(100);
	const void *p = width == 1 ? (const void *)&v8 :
			width == 2 ? (const void *)&v16 :
			width == 4 ? (const void *)&v32 : (const void *)&v64;

	if (r < 80) {
		switch (width) {
		case 1: nfct_set_attr_u8(ct, id, v8); break;
		case 2: nfct_set_attr_u16(ct, id, v16); break;
		case 4: nfct_set_attr_u32(ct, id, v32); break;
		default: nfct_set_attr_u64(ct, id, v64); break;
		}
	} else if (r < 88) {
		nfct_set_attr(ct, id, p);
	} else if (r < 94) {
		nfct_set_attr_l(ct, id, p, width);
	} else if (width < 8) {
		/* high bytes the attribute must not see */
		uint64_t junk = rnd() << (8 * width);

		if (width < 4 && pct(50))
			nfct_set_attr_u32(ct, id, (uint32_t)(v | junk));
		else
			nfct_set_attr_u64(ct, id, v | junk);
	} else {
		nfct_set_attr_u64(ct, id, v64);
	}
}

static void set_v6(struct nf_conntrack *ct, unsigned int id)
{
	uint8_t a[16];

	gen_v6(a);
	if (pct(70))
		nfct_set_attr(ct, id, a);
	else
		nfct_set_attr_l(ct, id, a, sizeof(a));
}

static void set_one(struct nf_conntrack *ct, unsigned int id,
		    const struct ctx *c)
{
	switch (id) {
	case ATTR_ORIG_IPV4_SRC: case ATTR_ORIG_IPV4_DST:
	case ATTR_REPL_IPV4_SRC: case ATTR_REPL_IPV4_DST:
	case ATTR_SNAT_IPV4: case ATTR_DNAT_IPV4:
	case ATTR_MASTER_IPV4_SRC: case ATTR_MASTER_IPV4_DST:
		set_num(ct, id, 4, gen_v4());
		break;
	case ATTR_ORIG_IPV6_SRC: case ATTR_ORIG_IPV6_DST:
	case ATTR_REPL_IPV6_SRC: case ATTR_REPL_IPV6_DST:
	case ATTR_MASTER_IPV6_SRC: case ATTR_MASTER_IPV6_DST:
	case ATTR_SNAT_IPV6: case ATTR_DNAT_IPV6:
		set_v6(ct, id);
		break;
	case ATTR_ORIG_PORT_SRC: case ATTR_ORIG_PORT_DST:
	case ATTR_REPL_PORT_SRC: case ATTR_REPL_PORT_DST:
	case ATTR_SNAT_PORT: case ATTR_DNAT_PORT:
	case ATTR_MASTER_PORT_SRC: case ATTR_MASTER_PORT_DST:
		set_num(ct, id, 2, gen_port());
		break;
	case ATTR_ICMP_TYPE:
		set_num(ct, id, 1, gen_icmp_type(c->fam == AF_INET6));
		break;
	case ATTR_ICMP_CODE:
		set_num(ct, id, 1, pct(80) ? rn(16) : rn(256));
		break;
	case ATTR_ICMP_ID:
		set_num(ct, id, 2, (uint16_t)rnd());
		break;
	case ATTR_ORIG_L3PROTO: case ATTR_REPL_L3PROTO:
	case ATTR_MASTER_L3PROTO:
		set_num(ct, id, 1, pct(90) ? c->fam : gen_family());
		break;
	case ATTR_ORIG_L4PROTO: case ATTR_REPL_L4PROTO:
	case ATTR_MASTER_L4PROTO:
		set_num(ct, id, 1, pct(90) ? c->l4 : gen_l4(c->fam));
		break;
	case ATTR_TCP_STATE: case ATTR_SCTP_STATE: case ATTR_DCCP_STATE:
		set_num(ct, id, 1, gen_state(10));
		break;
	case ATTR_TCP_FLAGS_ORIG: case ATTR_TCP_FLAGS_REPL:
	case ATTR_TCP_MASK_ORIG: case ATTR_TCP_MASK_REPL:
		set_num(ct, id, 1, pct(70) ? rn(16) : rn(256));
		break;
	case ATTR_TCP_WSCALE_ORIG: case ATTR_TCP_WSCALE_REPL:
		set_num(ct, id, 1, pct(80) ? rn(15) : rn(256));
		break;
	case ATTR_DCCP_ROLE:
		set_num(ct, id, 1, pct(80) ? rn(2) : rn(256));
		break;
	case ATTR_STATUS:
		set_num(ct, id, 4, gen_status());
		break;
	case ATTR_ORIG_COUNTER_PACKETS: case ATTR_REPL_COUNTER_PACKETS:
	case ATTR_ORIG_COUNTER_BYTES: case ATTR_REPL_COUNTER_BYTES:
	case ATTR_DCCP_HANDSHAKE_SEQ:
	case ATTR_TIMESTAMP_START: case ATTR_TIMESTAMP_STOP:
		set_num(ct, id, 8, r64());
		break;
	case ATTR_ZONE: case ATTR_ORIG_ZONE: case ATTR_REPL_ZONE:
		set_num(ct, id, 2, pct(50) ? rn(4) : (uint16_t)rnd());
		break;
	case ATTR_HELPER_NAME: {
		const char *h = helpers[rn(NHELPERS)];

		if (pct(80))
			nfct_set_attr(ct, id, h);
		else
			nfct_set_attr_l(ct, id, h, strlen(h) + 1);
		break;
	}
	case ATTR_SECCTX:
		nfct_set_attr(ct, id, secctxs[rn(NSECCTX)]);
		break;
	case ATTR_HELPER_INFO: {
		uint8_t info[64];
		unsigned int i, n = rn(sizeof(info));

		for (i = 0; i < sizeof(info); i++)
			info[i] = rnd();
		nfct_set_attr_l(ct, id, info, n);
		break;
	}
	case ATTR_CONNLABELS: case ATTR_CONNLABELS_MASK: {
		/* the object takes ownership of the bitmask */
		struct nfct_bitmask *b = gen_bitmask();

		if (b)
			nfct_set_attr(ct, id, b);
		if (b && pct(5))
			nfct_set_attr(ct, id, b); /* same pointer again */
		break;
	}
	default:
		set_num(ct, id, 4, r32());
		break;
	}
}

static void add(unsigned int *list, unsigned int *n, unsigned int id,
		unsigned int p)
{
	if (pct(p))
		list[(*n)++] = id;
}

static int port_proto(uint8_t p)
{
	return p == IPPROTO_TCP || p == IPPROTO_UDP || p == IPPROTO_UDPLITE ||
	       p == IPPROTO_SCTP || p == IPPROTO_DCCP || p == IPPROTO_GRE;
}

static void set_groups(struct nf_conntrack *ct)
{
	struct nfct_attr_grp_ipv4 g4 = { gen_v4(), gen_v4() };
	struct nfct_attr_grp_ipv6 g6;
	struct nfct_attr_grp_port gp = { gen_port(), gen_port() };
	struct nfct_attr_grp_icmp gi = { (uint16_t)rnd(), rn(16), rn(20) };
	struct nfct_attr_grp_ctrs gc = { r64(), r64() };
	union nfct_attr_grp_addr ga;
	unsigned int g = rn(LAST_GRP + 3);

	gen_v6((uint8_t *)g6.src);
	gen_v6((uint8_t *)g6.dst);
	gen_v6((uint8_t *)ga.addr);
	switch (g) {
	case ATTR_GRP_ORIG_IPV4: case ATTR_GRP_REPL_IPV4:
	case ATTR_GRP_MASTER_IPV4:
		nfct_set_attr_grp(ct, g, &g4);
		break;
	case ATTR_GRP_ORIG_IPV6: case ATTR_GRP_REPL_IPV6:
	case ATTR_GRP_MASTER_IPV6:
		nfct_set_attr_grp(ct, g, &g6);
		break;
	case ATTR_GRP_ORIG_PORT: case ATTR_GRP_REPL_PORT:
	case ATTR_GRP_MASTER_PORT:
		nfct_set_attr_grp(ct, g, &gp);
		break;
	case ATTR_GRP_ICMP:
		nfct_set_attr_grp(ct, g, &gi);
		break;
	case ATTR_GRP_ORIG_COUNTERS: case ATTR_GRP_REPL_COUNTERS:
		nfct_set_attr_grp(ct, g, &gc);
		break;
	default:
		/* the address groups, and ids past the end */
		nfct_set_attr_grp(ct, g, &ga);
		break;
	}
}

/* Builds a conntrack through the setters. */
static void gen_conntrack(struct nf_conntrack *ct)
{
	unsigned int list[200], n = 0, i;
	struct ctx c;
	int v6, tcp, sctp, dccp, icmp, ports;

	c.fam = gen_family();
	c.l4 = gen_l4(c.fam);
	v6 = c.fam == AF_INET6 ? (pct(95) ? 1 : 0) : (pct(5) ? 1 : 0);
	tcp = c.l4 == IPPROTO_TCP;
	sctp = c.l4 == IPPROTO_SCTP;
	dccp = c.l4 == IPPROTO_DCCP;
	icmp = c.l4 == IPPROTO_ICMP || c.l4 == IPPROTO_ICMPV6;
	ports = port_proto(c.l4);

	add(list, &n, ATTR_ORIG_L3PROTO, 95);
	add(list, &n, ATTR_REPL_L3PROTO, 70);
	add(list, &n, ATTR_ORIG_L4PROTO, 92);
	add(list, &n, ATTR_REPL_L4PROTO, 65);
	for (i = 0; i < 4; i++) {
		add(list, &n, (v6 ? ATTR_ORIG_IPV6_SRC : ATTR_ORIG_IPV4_SRC) + i, 85);
		add(list, &n, (v6 ? ATTR_ORIG_IPV4_SRC : ATTR_ORIG_IPV6_SRC) + i, 4);
		add(list, &n, ATTR_ORIG_PORT_SRC + i, ports ? 80 : 6);
	}
	add(list, &n, ATTR_ICMP_TYPE, icmp ? 85 : 4);
	add(list, &n, ATTR_ICMP_CODE, icmp ? 85 : 4);
	add(list, &n, ATTR_ICMP_ID, icmp ? 85 : 4);
	add(list, &n, ATTR_TCP_STATE, tcp ? 65 : 4);
	add(list, &n, ATTR_SCTP_STATE, sctp ? 65 : 4);
	add(list, &n, ATTR_DCCP_STATE, dccp ? 65 : 4);
	add(list, &n, ATTR_TCP_FLAGS_ORIG, tcp ? 35 : 3);
	add(list, &n, ATTR_TCP_FLAGS_REPL, tcp ? 35 : 3);
	add(list, &n, ATTR_TCP_MASK_ORIG, tcp ? 35 : 3);
	add(list, &n, ATTR_TCP_MASK_REPL, tcp ? 35 : 3);
	add(list, &n, ATTR_TCP_WSCALE_ORIG, tcp ? 35 : 3);
	add(list, &n, ATTR_TCP_WSCALE_REPL, tcp ? 35 : 3);
	add(list, &n, ATTR_DCCP_ROLE, dccp ? 50 : 3);
	add(list, &n, ATTR_DCCP_HANDSHAKE_SEQ, dccp ? 50 : 3);
	add(list, &n, ATTR_SCTP_VTAG_ORIG, sctp ? 50 : 3);
	add(list, &n, ATTR_SCTP_VTAG_REPL, sctp ? 50 : 3);
	add(list, &n, ATTR_STATUS, 60);
	add(list, &n, ATTR_TIMEOUT, 60);
	add(list, &n, ATTR_MARK, 40);
	add(list, &n, ATTR_SECMARK, 15);
	add(list, &n, ATTR_USE, 20);
	add(list, &n, ATTR_ID, 40);
	add(list, &n, ATTR_ZONE, 20);
	add(list, &n, ATTR_ORIG_ZONE, 15);
	add(list, &n, ATTR_REPL_ZONE, 15);
	add(list, &n, ATTR_ORIG_COUNTER_PACKETS, 20);
	add(list, &n, ATTR_ORIG_COUNTER_BYTES, 20);
	add(list, &n, ATTR_REPL_COUNTER_PACKETS, 20);
	add(list, &n, ATTR_REPL_COUNTER_BYTES, 20);
	add(list, &n, ATTR_TIMESTAMP_START, 10);
	add(list, &n, ATTR_TIMESTAMP_STOP, 10);
	add(list, &n, ATTR_SECCTX, 5);
	add(list, &n, ATTR_HELPER_NAME, 20);
	add(list, &n, ATTR_HELPER_INFO, 3);
	add(list, &n, ATTR_CONNLABELS, 20);
	add(list, &n, ATTR_CONNLABELS_MASK, 8);
	add(list, &n, v6 ? ATTR_SNAT_IPV6 : ATTR_SNAT_IPV4, 10);
	add(list, &n, v6 ? ATTR_DNAT_IPV6 : ATTR_DNAT_IPV4, 10);
	add(list, &n, v6 ? ATTR_SNAT_IPV4 : ATTR_SNAT_IPV6, 2);
	add(list, &n, ATTR_SNAT_PORT, 10);
	add(list, &n, ATTR_DNAT_PORT, 10);
	if (pct(12)) {
		for (i = ATTR_ORIG_NAT_SEQ_CORRECTION_POS;
		     i <= ATTR_REPL_NAT_SEQ_OFFSET_AFTER; i++)
			add(list, &n, i, 85);
	}
	if (pct(10)) {
		add(list, &n, ATTR_SYNPROXY_ISN, 85);
		add(list, &n, ATTR_SYNPROXY_ITS, 85);
		add(list, &n, ATTR_SYNPROXY_TSOFF, 85);
	}
	if (pct(12)) {
		add(list, &n, ATTR_MASTER_L3PROTO, 85);
		add(list, &n, ATTR_MASTER_L4PROTO, 85);
		add(list, &n, v6 ? ATTR_MASTER_IPV6_SRC : ATTR_MASTER_IPV4_SRC, 85);
		add(list, &n, v6 ? ATTR_MASTER_IPV6_DST : ATTR_MASTER_IPV4_DST, 85);
		add(list, &n, ATTR_MASTER_PORT_SRC, 80);
		add(list, &n, ATTR_MASTER_PORT_DST, 80);
	}
	/* The ICMP type setter looks at the layer 3 protocol set before it,
	 * so the order matters: sometimes shuffle it. */
	if (pct(20)) {
		for (i = n; i > 1; i--) {
			unsigned int j = rn(i), t = list[i - 1];

			list[i - 1] = list[j];
			list[j] = t;
		}
	}
	for (i = 0; i < n; i++)
		set_one(ct, list[i], &c);
	if (pct(5) && on(S_GRP))
		set_groups(ct);
	if (pct(3)) {
		unsigned int b = bad_ids[rn(NBAD)];

		nfct_set_attr_u32(ct, b, r32());
		nfct_set_attr_u8(ct, b, rn(256));
	}
}

/* Changes a few attributes of a copy of the previous object, so that
 * consecutive objects are often nearly equal and nfct_cmp has work. */
static void mutate(struct nf_conntrack *ct)
{
	struct ctx c;
	unsigned int i, n = 1 + rn(4);

	c.fam = nfct_get_attr_u8(ct, ATTR_ORIG_L3PROTO);
	c.l4 = nfct_get_attr_u8(ct, ATTR_ORIG_L4PROTO);
	for (i = 0; i < n; i++) {
		unsigned int id = rn(NATTR);

		if (pct(30)) {
			errno = 0;
			out("unset %u %d", id, nfct_attr_unset(ct, id));
			out(" e%d\n", errno);
		} else {
			set_one(ct, id, &c);
		}
	}
	if (pct(5)) {
		unsigned int b = bad_ids[rn(NBAD)];

		errno = 0;
		out("unset %u %d e%d\n", b, nfct_attr_unset(ct, b), errno);
	}
}

/* ---- kernel-like netlink messages ---------------------------------------- */

/* Newer kernels flag nests with NLA_F_NESTED; both kinds must parse. */
static int flag_nests;

static struct nlattr *nest(struct nlmsghdr *nlh, int type)
{
	struct nlattr *a = mnl_attr_nest_start(nlh, type);

	if (flag_nests)
		a->nla_type |= NLA_F_NESTED;
	return a;
}

static void put_tuple(struct nlmsghdr *nlh, int type, int fam, uint8_t l4,
		      int zone)
{
	struct nlattr *t, *n;
	uint8_t a[16];

	t = nest(nlh, type);
	n = nest(nlh, CTA_TUPLE_IP);
	if (fam == AF_INET6) {
		gen_v6(a);
		mnl_attr_put(nlh, CTA_IP_V6_SRC, 16, a);
		gen_v6(a);
		mnl_attr_put(nlh, CTA_IP_V6_DST, 16, a);
	} else {
		mnl_attr_put_u32(nlh, CTA_IP_V4_SRC, gen_v4());
		mnl_attr_put_u32(nlh, CTA_IP_V4_DST, gen_v4());
	}
	mnl_attr_nest_end(nlh, n);
	n = nest(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, l4);
	if (port_proto(l4) || pct(5)) {
		mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, gen_port());
		mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, gen_port());
	}
	if (l4 == IPPROTO_ICMP) {
		mnl_attr_put_u8(nlh, CTA_PROTO_ICMP_TYPE, gen_icmp_type(0));
		mnl_attr_put_u8(nlh, CTA_PROTO_ICMP_CODE, rn(16));
		mnl_attr_put_u16(nlh, CTA_PROTO_ICMP_ID, (uint16_t)rnd());
	} else if (l4 == IPPROTO_ICMPV6) {
		mnl_attr_put_u8(nlh, CTA_PROTO_ICMPV6_TYPE, gen_icmp_type(1));
		mnl_attr_put_u8(nlh, CTA_PROTO_ICMPV6_CODE, rn(16));
		mnl_attr_put_u16(nlh, CTA_PROTO_ICMPV6_ID, (uint16_t)rnd());
	}
	mnl_attr_nest_end(nlh, n);
	if (zone)
		mnl_attr_put_u16(nlh, CTA_TUPLE_ZONE, htons(rn(5)));
	mnl_attr_nest_end(nlh, t);
}

static void put_u64be(struct nlmsghdr *nlh, int type, uint64_t v)
{
	mnl_attr_put_u64(nlh, type, htobe64(v));
}

static void put_counters(struct nlmsghdr *nlh, int type)
{
	struct nlattr *n = nest(nlh, type);

	if (pct(85)) {
		put_u64be(nlh, CTA_COUNTERS_PACKETS, r64());
		put_u64be(nlh, CTA_COUNTERS_BYTES, r64());
	} else {
		mnl_attr_put_u32(nlh, CTA_COUNTERS32_PACKETS, htonl(r32()));
		mnl_attr_put_u32(nlh, CTA_COUNTERS32_BYTES, htonl(r32()));
	}
	mnl_attr_nest_end(nlh, n);
}

static uint64_t gen_stamp(void)
{
	switch (rn(6)) {
	case 0: return 0;
	case 1: return ~0ULL;
	case 2: return (uint64_t)(PINNED_NOW + rn(1000)) * 1000000000ULL + rn(1000000000);
	default: return (uint64_t)(PINNED_NOW - rn(100000000)) * 1000000000ULL + rn(1000000000);
	}
}

/* A message as the kernel sends it on a dump or an event: this is the only
 * way to give counters, timestamps, use and secctx real values. */
static size_t gen_kernel_msg(char *buf, size_t size)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	struct nlattr *n, *p;
	int fam = gen_family() == AF_INET6 ? AF_INET6 : AF_INET;
	uint8_t l4 = gen_l4(fam);
	unsigned int i;

	flag_nests = pct(50);
	memset(buf, 0, size);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = rn(1000);
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = fam;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;

	if (pct(95))
		put_tuple(nlh, CTA_TUPLE_ORIG, fam, l4, pct(15));
	if (pct(90))
		put_tuple(nlh, CTA_TUPLE_REPLY, fam, l4, pct(15));
	if (pct(10))
		put_tuple(nlh, CTA_TUPLE_MASTER, fam, gen_l4(fam), 0);
	if (pct(85))
		mnl_attr_put_u32(nlh, CTA_STATUS, htonl(gen_status()));
	if (pct(80))
		mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(r32()));
	if (pct(60))
		mnl_attr_put_u32(nlh, CTA_MARK, htonl(r32()));
	if (pct(15))
		mnl_attr_put_u32(nlh, CTA_SECMARK, htonl(r32()));
	if (pct(60))
		put_counters(nlh, CTA_COUNTERS_ORIG);
	if (pct(60))
		put_counters(nlh, CTA_COUNTERS_REPLY);
	if (pct(70))
		mnl_attr_put_u32(nlh, CTA_USE, htonl(r32()));
	if (pct(80))
		mnl_attr_put_u32(nlh, CTA_ID, htonl(r32()));
	if (pct(20))
		mnl_attr_put_u16(nlh, CTA_ZONE, htons(rn(4)));
	if (pct(20)) {
		n = nest(nlh, CTA_SECCTX);
		mnl_attr_put_strz(nlh, CTA_SECCTX_NAME, secctxs[rn(NSECCTX)]);
		mnl_attr_nest_end(nlh, n);
	}
	if (pct(40)) {
		n = nest(nlh, CTA_TIMESTAMP);
		if (pct(90))
			put_u64be(nlh, CTA_TIMESTAMP_START, gen_stamp());
		if (pct(50))
			put_u64be(nlh, CTA_TIMESTAMP_STOP, gen_stamp());
		mnl_attr_nest_end(nlh, n);
	}
	if (pct(25)) {
		uint8_t lab[128];
		unsigned int len = pct(85) ? 4 * (1 + rn(32)) : 1 + rn(128);

		memset(lab, 0, sizeof(lab));
		for (i = 0; i < 6; i++)
			if (pct(70))
				lab[rn(len)] |= 1 << rn(8);
		mnl_attr_put(nlh, CTA_LABELS, len, lab);
	}
	if (pct(60) && (l4 == IPPROTO_TCP || l4 == IPPROTO_SCTP ||
			l4 == IPPROTO_DCCP)) {
		n = nest(nlh, CTA_PROTOINFO);
		if (l4 == IPPROTO_TCP) {
			struct { uint8_t flags, mask; } f;

			p = nest(nlh, CTA_PROTOINFO_TCP);
			if (pct(90))
				mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, gen_state(10));
			if (pct(50))
				mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, rn(15));
			if (pct(50))
				mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_WSCALE_REPLY, rn(15));
			f.flags = rn(256);
			f.mask = rn(256);
			if (pct(50))
				mnl_attr_put(nlh, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, 2, &f);
			if (pct(50))
				mnl_attr_put(nlh, CTA_PROTOINFO_TCP_FLAGS_REPLY, 2, &f);
		} else if (l4 == IPPROTO_SCTP) {
			p = nest(nlh, CTA_PROTOINFO_SCTP);
			mnl_attr_put_u8(nlh, CTA_PROTOINFO_SCTP_STATE, gen_state(10));
			mnl_attr_put_u32(nlh, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, htonl(r32()));
			mnl_attr_put_u32(nlh, CTA_PROTOINFO_SCTP_VTAG_REPLY, htonl(r32()));
		} else {
			p = nest(nlh, CTA_PROTOINFO_DCCP);
			mnl_attr_put_u8(nlh, CTA_PROTOINFO_DCCP_STATE, gen_state(10));
			mnl_attr_put_u8(nlh, CTA_PROTOINFO_DCCP_ROLE, rn(3));
			put_u64be(nlh, CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ, r64());
		}
		mnl_attr_nest_end(nlh, p);
		mnl_attr_nest_end(nlh, n);
	}
	if (pct(20)) {
		n = nest(nlh, CTA_HELP);
		mnl_attr_put_strz(nlh, CTA_HELP_NAME, helpers[rn(NHELPERS)]);
		if (pct(20)) {
			uint8_t info[24];

			for (i = 0; i < sizeof(info); i++)
				info[i] = rnd();
			mnl_attr_put(nlh, CTA_HELP_INFO, rn(sizeof(info) + 1), info);
		}
		mnl_attr_nest_end(nlh, n);
	}
	for (i = 0; i < 2; i++) {
		if (!pct(10))
			continue;
		n = nest(nlh, i ? CTA_NAT_SEQ_ADJ_REPLY : CTA_NAT_SEQ_ADJ_ORIG);
		mnl_attr_put_u32(nlh, CTA_NAT_SEQ_CORRECTION_POS, htonl(r32()));
		mnl_attr_put_u32(nlh, CTA_NAT_SEQ_OFFSET_BEFORE, htonl(r32()));
		mnl_attr_put_u32(nlh, CTA_NAT_SEQ_OFFSET_AFTER, htonl(r32()));
		mnl_attr_nest_end(nlh, n);
	}
	if (pct(10)) {
		n = nest(nlh, CTA_SYNPROXY);
		mnl_attr_put_u32(nlh, CTA_SYNPROXY_ISN, htonl(r32()));
		mnl_attr_put_u32(nlh, CTA_SYNPROXY_ITS, htonl(r32()));
		mnl_attr_put_u32(nlh, CTA_SYNPROXY_TSOFF, htonl(r32()));
		mnl_attr_nest_end(nlh, n);
	}
	/* an attribute from a kernel newer than both libraries */
	if (pct(10))
		mnl_attr_put_u32(nlh, 40, htonl(r32()));
	/* attributes both versions know but do not parse */
	if (pct(5))
		mnl_attr_put_u32(nlh, CTA_MARK_MASK, htonl(r32()));
	if (pct(5)) {
		n = nest(nlh, CTA_NAT_SRC);
		mnl_attr_put_u32(nlh, CTA_NAT_V4_MINIP, gen_v4());
		mnl_attr_nest_end(nlh, n);
	}
	/* a repeated attribute: the last one counts */
	if (pct(5))
		mnl_attr_put_u32(nlh, CTA_MARK, htonl(r32()));
	if (pct(3))
		put_tuple(nlh, CTA_TUPLE_ORIG, fam, l4, pct(15));
	return nlh->nlmsg_len;
}

/* ---- printing one conntrack --------------------------------------------- */

static void print_bits(const char *tag, const struct nf_conntrack *ct)
{
	char s[NATTR + 1];
	unsigned int i;

	for (i = 0; i < NATTR; i++) {
		int r = nfct_attr_is_set(ct, i);

		s[i] = r == 0 ? '0' : r == 1 ? '1' : '?';
	}
	s[NATTR] = 0;
	out("%s bits %s\n", tag, s);
}

static void print_bitmask(const struct nfct_bitmask *b)
{
	unsigned int i, max;

	if (!b) {
		out("(null)");
		return;
	}
	if (!on(S_BITMASK)) {
		out("ptr");
		return;
	}
	max = nfct_bitmask_maxbit(b);
	out("max=%u {", max);
	for (i = 0; i <= max; i++)
		if (nfct_bitmask_test_bit(b, i))
			out(" %u", i);
	out(" }");
}

static void print_attrs(const struct nf_conntrack *ct)
{
	unsigned int i;
	const void *p;

	for (i = 0; i < NATTR; i++) {
		enum kind k = attr_kind(i);
		int set = nfct_attr_is_set(ct, i);

		if (set != 1) {
			/* unset: every getter returns 0 with ENODATA */
			int ok = 1;

			errno = 0;
			ok &= nfct_get_attr(ct, i) == NULL && errno == ENODATA;
			errno = 0;
			ok &= nfct_get_attr_u8(ct, i) == 0 && errno == ENODATA;
			errno = 0;
			ok &= nfct_get_attr_u16(ct, i) == 0 && errno == ENODATA;
			errno = 0;
			ok &= nfct_get_attr_u32(ct, i) == 0 && errno == ENODATA;
			errno = 0;
			ok &= nfct_get_attr_u64(ct, i) == 0 && errno == ENODATA;
			if (set != 0 || !ok)
				out("a%u set=%d unset-getters-ok=%d\n", i, set, ok);
			continue;
		}
		out("a%u", i);
		errno = 0;
		p = nfct_get_attr(ct, i);
		switch (k) {
		case K_U128:
			out(" ");
			if (p)
				out_hex(p, 16);
			/* fall through */
		case K_U64:
			out(" u64=%llu", (unsigned long long)nfct_get_attr_u64(ct, i));
			/* fall through */
		case K_U32:
			out(" u32=%u", nfct_get_attr_u32(ct, i));
			/* fall through */
		case K_U16:
			out(" u16=%u", nfct_get_attr_u16(ct, i));
			/* fall through */
		case K_U8:
			out(" u8=%u", nfct_get_attr_u8(ct, i));
			break;
		case K_STR:
			out(" \"");
			if (p)
				out_escaped(p, strlen(p));
			out("\"");
			break;
		case K_SECCTX:
			if (p) {
				out(" \"");
				out_escaped(p, strlen(p));
				out("\"");
			} else {
				out(" (null)");
			}
			break;
		case K_BLOB:
			out(" %s", p ? "ptr" : "(null)");
			break;
		case K_BITMASK:
			out(" ");
			print_bitmask(p);
			break;
		}
		out(" e%d\n", errno);
	}
	for (i = 0; i < NBAD && cur_index % 16 == 0; i++) {
		unsigned int b = bad_ids[i];
		int r1, r2;
		const void *p2;

		errno = 0;
		r1 = nfct_attr_is_set(ct, b);
		r2 = errno;
		errno = 0;
		p2 = nfct_get_attr(ct, b);
		out("bad %u is_set=%d e%d get=%s e%d", b, r1, r2,
		    p2 ? "ptr" : "null", errno);
		errno = 0;
		out(" u32=%u e%d\n", nfct_get_attr_u32(ct, b), errno);
	}
}

static void print_groups(const struct nf_conntrack *ct)
{
	unsigned int g;
	unsigned char data[64];
	static const unsigned int sizes[] = { 8, 8, 32, 32, 4, 4, 4, 8, 32, 4,
					      16, 16, 16, 16, 16, 16 };

	for (g = 0; g <= LAST_GRP + 2; g++) {
		int r;

		errno = 0;
		r = nfct_attr_grp_is_set(ct, g);
		out("g%u is_set=%d", g, r);
		if (r < 0)
			out(" e%d", errno);
		memset(data, 0, sizeof(data));
		errno = 0;
		r = nfct_get_attr_grp(ct, g, data);
		out(" get=%d", r);
		if (r < 0)
			out(" e%d", errno);
		else if (g <= LAST_GRP) {
			out(" ");
			out_hex(data, sizes[g]);
		}
		out("\n");
	}
}

static const unsigned int msg_types[] = { NFCT_T_UNKNOWN, NFCT_T_NEW,
					  NFCT_T_UPDATE, NFCT_T_DESTROY,
					  NFCT_T_NEW | NFCT_T_UPDATE, NFCT_T_ALL,
					  NFCT_T_ERROR };
#define NTYPES (sizeof(msg_types) / sizeof(msg_types[0]))
#define NFLAGS 16 /* every combination of the four NFCT_OF_* flags */

typedef int (*snprintf_fn)(char *buf, unsigned int size, const void *obj,
			   unsigned int type, unsigned int fmt,
			   unsigned int flags);

static struct nfct_labelmap *labelmap;

static int ct_snprintf(char *buf, unsigned int size, const void *obj,
		       unsigned int type, unsigned int fmt, unsigned int flags)
{
	return nfct_snprintf(buf, size, obj, type, fmt, flags);
}

static int ct_snprintf_labels(char *buf, unsigned int size, const void *obj,
			      unsigned int type, unsigned int fmt,
			      unsigned int flags)
{
	return nfct_snprintf_labels(buf, size, obj, type, fmt, flags, labelmap);
}

static int exp_snprintf(char *buf, unsigned int size, const void *obj,
			unsigned int type, unsigned int fmt, unsigned int flags)
{
	return nfexp_snprintf(buf, size, obj, type, fmt, flags);
}

/* Full-size output: ret and text (text only when ret >= 0: after an error
 * the buffer holds an unterminated prefix). */
static int snp_full(snprintf_fn fn, const void *obj, unsigned int type,
		    unsigned int fmt, unsigned int flags)
{
	int r;

	memset(big, 0, 4096);
	r = fn(big, BIG, obj, type, fmt, flags);
	return r;
}

static void print_snp(const char *tag, snprintf_fn fn, const void *obj,
		      unsigned int type, unsigned int fmt, unsigned int flags)
{
	int r = snp_full(fn, obj, type, fmt, flags);

	out("%s t=%u o=%u f=%u r=%d", tag, type, fmt, flags, r);
	if (r >= 0) {
		out(" ");
		out_escaped((unsigned char *)big, strlen(big));
	}
	out("\n");
}

static uint64_t hash_snp(snprintf_fn fn, const void *obj, unsigned int type,
			 unsigned int fmt, unsigned int flags, uint64_t h)
{
	int r = snp_full(fn, obj, type, fmt, flags);

	h = fnv_int(h, r);
	if (r >= 0)
		h = fnv_str(h, big);
	return h;
}

/* Every message type, output format and flag combination. */
static void snp_battery(const char *tag, snprintf_fn fn, const void *obj)
{
	unsigned int fmt, t, f;

	for (fmt = NFCT_O_DEFAULT; fmt <= NFCT_O_XML; fmt++) {
		for (t = 0; t < NTYPES; t++) {
			uint64_t h = FNV_INIT;
			int r[NFLAGS];

			for (f = 0; f < NFLAGS; f++) {
				if (verbose) {
					print_snp(tag, fn, obj, msg_types[t], fmt, f);
					continue;
				}
				r[f] = snp_full(fn, obj, msg_types[t], fmt, f);
				h = fnv_int(h, r[f]);
				if (r[f] >= 0)
					h = fnv_str(h, big);
			}
			if (verbose)
				continue;
			out("%s t=%u o=%u r=", tag, msg_types[t], fmt);
			for (f = 0; f < NFLAGS; f++)
				out("%s%d", f ? "," : "", r[f]);
			out(" h=%016llx\n", (unsigned long long)h);
		}
		/* every bit set, including ones no version defines */
		print_snp(tag, fn, obj, NFCT_T_NEW, fmt, 0xffffffff);
	}
	/* output types past the end: -1 and ENOENT */
	errno = 0;
	out("%s o=2 r=%d", tag, fn(big, BIG, obj, 0, NFCT_O_MAX, 0));
	out(" e%d\n", errno);
	errno = 0;
	out("%s o=99 r=%d", tag, fn(big, BIG, obj, 0, 99, 0));
	out(" e%d\n", errno);
}

#define MARK 0xa5

/* Short buffers: return value and the exact bytes written, with the
 * untouched marker bytes behind them. */
static void snp_sizes(const char *tag, snprintf_fn fn, const void *obj)
{
	unsigned int fmt = rn(2), type = msg_types[rn(NTYPES)], flags = rn(NFLAGS);
	unsigned int sizes[8], n = 0, i, j, end;
	int len = snp_full(fn, obj, type, fmt, flags);

	sizes[n++] = 1;
	sizes[n++] = 2;
	sizes[n++] = 10;
	sizes[n++] = 50;
	sizes[n++] = 1 + rn(300);
	if (len > 1)
		sizes[n++] = len - 1;
	if (len > 0)
		sizes[n++] = len;
	if (len >= 0)
		sizes[n++] = len + 1;
	out("%s sizes t=%u o=%u f=%u len=%d\n", tag, type, fmt, flags, len);
	for (i = 0; i < n; i++) {
		unsigned int s = sizes[i];
		int r;

		/* the original's nfexp_snprintf looks at buf[len-1] even
		 * past the size: keep every byte it may read marked */
		end = s + 8192 < BIG ? s + 8192 : BIG;
		memset(big, MARK, end);
		r = fn(big, s, obj, type, fmt, flags);
		out("%s s=%u r=%d", tag, s, r);
		for (j = s + 4; j < end; j++) {
			if ((unsigned char)big[j] != MARK) {
				out(" wrote-past-size-at=%u", j);
				break;
			}
		}
		if (r < 0) {
			out("\n");
			continue;
		}
		if (s <= 64 || verbose) {
			out(" ");
			out_escaped((unsigned char *)big, s + 4);
		} else {
			out(" h=%016llx tail=",
			    (unsigned long long)fnv(FNV_INIT, big, s + 4));
			out_escaped((unsigned char *)big + s - 8, 12);
		}
		out("\n");
	}
}

static void print_cmp(const char *tag, const struct nf_conntrack *a,
		      const struct nf_conntrack *b)
{
	char s[129];
	unsigned int f;

	if (!on(S_CMP))
		return;
	for (f = 0; f < 128; f++) {
		int r = nfct_cmp(a, b, f);

		s[f] = r >= 0 && r <= 9 ? '0' + r : '?';
	}
	s[128] = 0;
	out("%s %s compare=%d\n", tag, s, nfct_compare(a, b));
}

static uint64_t hash_ct(const struct nf_conntrack *ct)
{
	uint64_t h = FNV_INIT;
	unsigned int i;

	for (i = 0; i < NATTR; i++)
		h = fnv_int(h, nfct_attr_is_set(ct, i));
	h = hash_snp(ct_snprintf, ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 15, h);
	h = hash_snp(ct_snprintf, ct, NFCT_T_UNKNOWN, NFCT_O_XML, 15, h);
	if (labelmap)
		h = hash_snp(ct_snprintf_labels, ct, NFCT_T_UNKNOWN,
			     NFCT_O_DEFAULT, 0, h);
	return h;
}

/* A copy's summary: full text in verbose mode, a hash otherwise. */
static void print_ct_summary(const char *tag, const struct nf_conntrack *ct)
{
	if (verbose) {
		print_bits(tag, ct);
		print_snp(tag, ct_snprintf, ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 15);
		print_snp(tag, ct_snprintf, ct, NFCT_T_UNKNOWN, NFCT_O_XML, 15);
		if (labelmap)
			print_snp(tag, ct_snprintf_labels, ct, NFCT_T_UNKNOWN,
				  NFCT_O_DEFAULT, 0);
	} else {
		out("%s h=%016llx\n", tag, (unsigned long long)hash_ct(ct));
	}
}

static const unsigned int copy_flags[] = {
	NFCT_CP_ALL, NFCT_CP_ORIG, NFCT_CP_REPL, NFCT_CP_META,
	NFCT_CP_ORIG | NFCT_CP_REPL, NFCT_CP_ORIG | NFCT_CP_META,
	NFCT_CP_REPL | NFCT_CP_META, NFCT_CP_ORIG | NFCT_CP_REPL | NFCT_CP_META,
	NFCT_CP_OVERRIDE, NFCT_CP_OVERRIDE | NFCT_CP_ORIG, 16, 16 | NFCT_CP_REPL,
};
#define NCOPY (sizeof(copy_flags) / sizeof(copy_flags[0]))

/* Zeroes the padding after each attribute, in nests too (flagged with
 * NLA_F_NESTED, as libmnl does): the original leaves the bytes of a
 * cancelled nest there, and padding means nothing. */
static void clear_padding(char *p, size_t len)
{
	size_t off = 0;

	while (off + sizeof(struct nlattr) <= len) {
		struct nlattr *a = (struct nlattr *)(p + off);
		size_t alen = a->nla_len, aligned = NLA_ALIGN(alen);

		if (alen < sizeof(struct nlattr) || off + alen > len)
			return;
		if (a->nla_type & NLA_F_NESTED)
			clear_padding(p + off + NLA_HDRLEN, alen - NLA_HDRLEN);
		if (off + aligned > len)
			aligned = len - off;
		memset(p + off + alen, 0, aligned - alen);
		off += aligned;
	}
}

/* A built message in hex, padding cleared. */
static void out_msg(struct nlmsghdr *nlh)
{
	size_t hdr = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));

	if (nlh->nlmsg_len > hdr)
		clear_padding((char *)nlh + hdr, nlh->nlmsg_len - hdr);
	out_hex(nlh, nlh->nlmsg_len);
}

static void put_nfgen(char *buf, int type, uint8_t family)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	memset(buf, 0, 16384);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK;
	nlh->nlmsg_seq = 1234;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
}

static void test_nlmsg(const struct nf_conntrack *ct)
{
	static char buf[16384];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nf_conntrack *back;
	uint8_t fam = nfct_get_attr_u8(ct, ATTR_ORIG_L3PROTO);
	int r;

	if (pct(5))
		fam = gen_family();
	put_nfgen(buf, (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW, fam);
	errno = 0;
	r = nfct_nlmsg_build(nlh, ct);
	out("build r=%d", r);
	/* errno is set only for the missing layer 3 protocol; a tuple
	 * that cannot be encoded leaves it as it was in the original */
	if (r < 0 && nfct_attr_is_set(ct, ATTR_ORIG_L3PROTO) != 1)
		out(" e%d", errno);
	out(" len=%u ", nlh->nlmsg_len);
	out_msg(nlh);
	out("\n");

	back = nfct_new();
	if (!back)
		abort();
	errno = 0;
	r = nfct_nlmsg_parse(nlh, back);
	out("parse r=%d", r);
	if (r < 0)
		out(" e%d", errno);
	out("\n");
	print_bits("parsed", back);
	print_snp("parsed", ct_snprintf, back, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 15);
	print_snp("parsed", ct_snprintf, back, NFCT_T_UNKNOWN, NFCT_O_XML, 15);
	print_cmp("cmp orig,parsed", ct, back);
	nfct_destroy(back);
}

static void test_conntrack(const struct nf_conntrack *ct,
			   const struct nf_conntrack *prev)
{
	struct nf_conntrack *c;
	unsigned int i, f;
	int r;

	print_bits("ct", ct);
	print_attrs(ct);
	if (on(S_GRP))
		print_groups(ct);

	/* a few full texts always, the rest as hashes */
	print_snp("full", ct_snprintf, ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0);
	print_snp("full", ct_snprintf, ct, NFCT_T_NEW, NFCT_O_DEFAULT, 15);
	print_snp("full", ct_snprintf, ct, NFCT_T_UNKNOWN, NFCT_O_XML, 0);
	print_snp("full", ct_snprintf, ct, NFCT_T_DESTROY, NFCT_O_XML, 15);
	snp_battery("snp", ct_snprintf, ct);
	if (labelmap) {
		print_snp("labels", ct_snprintf_labels, ct, NFCT_T_UPDATE,
			  NFCT_O_DEFAULT, rn(NFLAGS));
		print_snp("labels", ct_snprintf_labels, ct, NFCT_T_UNKNOWN,
			  NFCT_O_XML, rn(NFLAGS));
		/* draw first: -v must not change the random sequence */
		int battery = pct(10);

		if (verbose || battery)
			snp_battery("lsnp", ct_snprintf_labels, ct);
		snp_sizes("lsz", ct_snprintf_labels, ct);
	}
	snp_sizes("sz", ct_snprintf, ct);

	/* object options */
	for (i = 0; i <= 5 && on(S_OBJOPT); i++) {
		unsigned int opt = i < 4 ? i : i == 4 ? 4 : 1000;

		errno = 0;
		r = nfct_getobjopt(ct, opt);
		out("getobjopt %u r=%d", opt, r);
		if (r < 0)
			out(" e%d", errno);
		out("\n");
	}
	for (i = 0; i <= 7 && on(S_OBJOPT); i++) {
		unsigned int opt = i < 7 ? i : 0xffffffff;
		char tag[32];

		c = nfct_clone(ct);
		if (!c)
			abort();
		errno = 0;
		r = nfct_setobjopt(c, opt);
		out("setobjopt %u r=%d", opt, r);
		if (r < 0)
			out(" e%d", errno);
		out("\n");
		snprintf(tag, sizeof(tag), "sopt%u", i);
		print_ct_summary(tag, c);
		nfct_destroy(c);
	}

	if (on(S_ARRAY)) {
		static const unsigned int arr1[] = { ATTR_ORIG_L3PROTO, ATTR_ORIG_L4PROTO };
		static const unsigned int arr2[] = { ATTR_IPV4_SRC, ATTR_IPV4_DST,
						     ATTR_PORT_SRC, ATTR_PORT_DST };
		static const unsigned int arr3[] = { ATTR_STATUS, 1000, ATTR_ID };
		enum nf_conntrack_attr a[4];

		for (i = 0; i < 2; i++)
			a[i] = arr1[i];
		out("is_set_array %d", nfct_attr_is_set_array(ct, a, 2));
		for (i = 0; i < 4; i++)
			a[i] = arr2[i];
		out(" %d", nfct_attr_is_set_array(ct, a, 4));
		out(" %d", nfct_attr_is_set_array(ct, a, 0));
		for (i = 0; i < 3; i++)
			a[i] = arr3[i];
		errno = 0;
		r = nfct_attr_is_set_array(ct, a, 3);
		out(" %d", r);
		if (r < 0)
			out(" e%d", errno);
		out("\n");
	}

	/* clone, compare */
	c = nfct_clone(ct);
	if (!c)
		abort();
	print_cmp("cmp self", ct, ct);
	print_cmp("cmp clone", ct, c);
	print_ct_summary("clone", c);
	nfct_destroy(c);
	if (prev && on(S_CMP)) {
		print_cmp("cmp prev,cur", prev, ct);
		print_cmp("cmp cur,prev", ct, prev);
	}

	/* copy */
	for (f = 0; prev && on(S_COPY) && f < NCOPY; f++) {
		char tag[32];

		c = pct(50) ? nfct_clone(ct) : nfct_new();
		if (!c)
			abort();
		nfct_copy(c, prev, copy_flags[f]);
		snprintf(tag, sizeof(tag), "copy%u", copy_flags[f]);
		print_ct_summary(tag, c);
		nfct_destroy(c);
	}
	if (prev && on(S_COPY)) {
		c = pct(50) ? nfct_clone(ct) : nfct_new();
		if (!c)
			abort();
		for (i = 0; i < NATTR; i++)
			if (pct(40))
				nfct_copy_attr(c, prev, i);
		print_ct_summary("copy_attr", c);
		nfct_destroy(c);
	}

	/* unset on a clone */
	c = nfct_clone(ct);
	if (!c)
		abort();
	for (i = 0; i < 4; i++) {
		unsigned int id = rn(NATTR);

		errno = 0;
		r = nfct_attr_unset(c, id);
		out("unset %u r=%d e%d\n", id, r, errno);
	}
	if (pct(30) && on(S_GRP)) {
		unsigned int g = rn(LAST_GRP + 3);

		errno = 0;
		r = nfct_attr_grp_unset(c, g);
		out("grp_unset %u r=%d e%d\n", g, r, errno);
	}
	print_ct_summary("unset", c);
	nfct_destroy(c);

	if (on(S_NLMSG))
		test_nlmsg(ct);
}

/* The older entry points over the same kernel message: the message type
 * decides what nfct_parse_conntrack reports, and nfct_payload_parse takes
 * the attributes without the headers. */
static void test_kernel_variants(const char *msg)
{
	static char copy[16384];
	static const uint16_t types[] = { IPCTNL_MSG_CT_NEW, IPCTNL_MSG_CT_DELETE,
					  IPCTNL_MSG_CT_GET, 99 };
	static const uint16_t flags[] = { 0, NLM_F_CREATE, NLM_F_EXCL,
					  NLM_F_CREATE | NLM_F_EXCL | NLM_F_MULTI };
	static const unsigned int masks[] = { NFCT_T_ALL, NFCT_T_NEW,
					      NFCT_T_UPDATE, NFCT_T_DESTROY,
					      NFCT_T_UNKNOWN };
	const struct nlmsghdr *src = (const struct nlmsghdr *)msg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)copy;
	struct nf_conntrack *ct;
	const struct nfgenmsg *nfg;
	int r;

	memcpy(copy, msg, src->nlmsg_len);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | types[rn(4)];
	nlh->nlmsg_flags = flags[rn(4)];
	ct = nfct_new();
	if (!ct)
		abort();
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	r = nfct_parse_conntrack(masks[rn(5)], nlh, ct);
#pragma GCC diagnostic pop
	out("parse_conntrack type=%04x flags=%x r=%d\n", nlh->nlmsg_type,
	    nlh->nlmsg_flags, r);
	print_ct_summary("parse_conntrack", ct);
	nfct_destroy(ct);

	ct = nfct_new();
	if (!ct)
		abort();
	nfg = mnl_nlmsg_get_payload(src);
	r = nfct_payload_parse((const char *)nfg + sizeof(*nfg),
			       src->nlmsg_len - NLMSG_HDRLEN - sizeof(*nfg),
			       pct(90) ? nfg->nfgen_family : gen_family(), ct);
	out("payload_parse r=%d\n", r);
	print_ct_summary("payload_parse", ct);
	nfct_destroy(ct);
}

/* Dump filters (the attributes 1.0.9 knows: mark, family, status). */
static void test_filter_dump(void)
{
	static char buf[16384];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nfct_filter_dump *fd = nfct_filter_dump_create();
	struct nfct_filter_dump_mark m;
	int r;

	if (!fd)
		abort();
	if (pct(60)) {
		m.val = r32();
		m.mask = pct(50) ? 0xffffffff : r32();
		nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_MARK, &m);
	}
	if (pct(50)) {
		uint8_t fam = gen_family();

		if (pct(50))
			nfct_filter_dump_set_attr_u8(fd, NFCT_FILTER_DUMP_L3NUM, fam);
		else
			nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_L3NUM, &fam);
	}
	if (pct(40)) {
		m.val = gen_status();
		m.mask = r32();
		nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_STATUS, &m);
	}
	put_nfgen(buf, (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET,
		  pct(80) ? AF_UNSPEC : AF_INET);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	errno = 0;
	r = nfct_nlmsg_build_filter(nlh, fd);
	out("build_filter r=%d", r);
	if (r < 0)
		out(" e%d", errno);
	out(" len=%u ", nlh->nlmsg_len);
	out_msg(nlh);
	out("\n");
	nfct_filter_dump_destroy(fd);
}

/* ---- expectations ------------------------------------------------------- */

/* A tuple-only conntrack for the master/expected/mask/nat parts. */
static struct nf_conntrack *gen_tuple(int fam, uint8_t l4, int mask)
{
	struct nf_conntrack *ct = nfct_new();
	uint8_t a[16];

	if (!ct)
		abort();
	if (pct(95))
		nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, pct(95) ? fam : gen_family());
	if (pct(95))
		nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, l4);
	if (fam == AF_INET6) {
		if (mask && pct(60)) {
			memset(a, 0xff, sizeof(a));
			nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, a);
			nfct_set_attr(ct, ATTR_ORIG_IPV6_DST, a);
		} else {
			set_v6(ct, ATTR_ORIG_IPV6_SRC);
			set_v6(ct, ATTR_ORIG_IPV6_DST);
		}
	} else {
		nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC,
				  mask && pct(60) ? 0xffffffff : gen_v4());
		nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST,
				  mask && pct(60) ? 0xffffffff : gen_v4());
	}
	if (port_proto(l4) || pct(10)) {
		if (pct(90))
			nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC,
					  mask && pct(50) ? 0xffff : gen_port());
		if (pct(90))
			nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST,
					  mask && pct(50) ? 0xffff : gen_port());
	}
	if (l4 == IPPROTO_ICMP || l4 == IPPROTO_ICMPV6) {
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, gen_icmp_type(fam == AF_INET6));
		nfct_set_attr_u8(ct, ATTR_ICMP_CODE, rn(16));
		nfct_set_attr_u16(ct, ATTR_ICMP_ID, (uint16_t)rnd());
	}
	if (pct(10))
		nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, rn(4));
	return ct;
}

static const char *const expfns[] = {
	"sip", "nat-follow-master", "", "an-expectfn-name-longer-than-24-bytes",
	"a2345678901234567890123", "a23456789012345678901234",
};
#define NEXPFNS (sizeof(expfns) / sizeof(expfns[0]))

static struct nf_expect *gen_expect(const struct nf_conntrack *master)
{
	struct nf_expect *exp = nfexp_new();
	struct nf_conntrack *t;
	int fam = gen_family() == AF_INET6 ? AF_INET6 : AF_INET;
	uint8_t l4 = gen_l4(fam);

	if (!exp)
		abort();
	if (pct(85)) {
		if (master && pct(40)) {
			nfexp_set_attr(exp, ATTR_EXP_MASTER, master);
		} else {
			t = gen_tuple(fam, l4, 0);
			nfexp_set_attr(exp, ATTR_EXP_MASTER, t);
			nfct_destroy(t);
		}
	}
	if (pct(90)) {
		t = gen_tuple(fam, pct(90) ? l4 : gen_l4(fam), 0);
		nfexp_set_attr(exp, ATTR_EXP_EXPECTED, t);
		nfct_destroy(t);
	}
	if (pct(85)) {
		t = gen_tuple(fam, l4, 1);
		nfexp_set_attr(exp, ATTR_EXP_MASK, t);
		nfct_destroy(t);
	}
	if (pct(15)) {
		t = gen_tuple(fam, l4, 0);
		nfexp_set_attr(exp, ATTR_EXP_NAT_TUPLE, t);
		nfct_destroy(t);
	}
	if (pct(70))
		nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, r32());
	if (pct(30)) {
		if (pct(80))
			nfexp_set_attr_u16(exp, ATTR_EXP_ZONE, rn(4));
		else
			nfexp_set_attr_u32(exp, ATTR_EXP_ZONE, r32());
	}
	if (pct(50))
		nfexp_set_attr_u32(exp, ATTR_EXP_FLAGS, pct(85) ? rn(8) : r32());
	if (pct(40))
		nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, helpers[rn(NHELPERS)]);
	if (pct(25))
		nfexp_set_attr_u32(exp, ATTR_EXP_CLASS, pct(80) ? rn(3) : r32());
	if (pct(15))
		nfexp_set_attr_u32(exp, ATTR_EXP_NAT_DIR, rn(3));
	if (pct(15))
		nfexp_set_attr(exp, ATTR_EXP_FN, expfns[rn(NEXPFNS)]);
	if (pct(3)) {
		uint32_t v = r32();

		nfexp_set_attr(exp, 11 + rn(100), &v);
		nfexp_set_attr_u32(exp, 0xffffffff, v);
	}
	return exp;
}

static size_t gen_kernel_exp_msg(char *buf, size_t size)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	struct nlattr *n;
	int fam = gen_family() == AF_INET6 ? AF_INET6 : AF_INET;
	uint8_t l4 = gen_l4(fam);

	flag_nests = pct(50);
	memset(buf, 0, size);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = fam;
	nfg->version = NFNETLINK_V0;
	if (pct(90))
		put_tuple(nlh, CTA_EXPECT_MASTER, fam, l4, 0);
	if (pct(95))
		put_tuple(nlh, CTA_EXPECT_TUPLE, fam, l4, 0);
	if (pct(90))
		put_tuple(nlh, CTA_EXPECT_MASK, fam, l4, 0);
	if (pct(80))
		mnl_attr_put_u32(nlh, CTA_EXPECT_TIMEOUT, htonl(r32()));
	if (pct(70))
		mnl_attr_put_u32(nlh, CTA_EXPECT_ID, htonl(r32()));
	if (pct(50))
		mnl_attr_put_strz(nlh, CTA_EXPECT_HELP_NAME, helpers[rn(NHELPERS)]);
	if (pct(30))
		mnl_attr_put_u16(nlh, CTA_EXPECT_ZONE, htons(rn(4)));
	if (pct(60))
		mnl_attr_put_u32(nlh, CTA_EXPECT_FLAGS, htonl(pct(85) ? rn(8) : r32()));
	if (pct(30))
		mnl_attr_put_u32(nlh, CTA_EXPECT_CLASS, htonl(rn(3)));
	if (pct(15)) {
		n = nest(nlh, CTA_EXPECT_NAT);
		mnl_attr_put_u32(nlh, CTA_EXPECT_NAT_DIR, htonl(rn(2)));
		put_tuple(nlh, CTA_EXPECT_NAT_TUPLE, fam, l4, 0);
		mnl_attr_nest_end(nlh, n);
	}
	if (pct(15)) {
		/* the original asserts on names of more than 24 bytes */
		const char *fn = expfns[rn(NEXPFNS)];

		if (strlen(fn) < 24)
			mnl_attr_put_strz(nlh, CTA_EXPECT_FN, fn);
	}
	if (pct(10))
		mnl_attr_put_u32(nlh, 30, htonl(r32()));
	return nlh->nlmsg_len;
}

static void test_kernel_exp_variants(const char *msg)
{
	static char copy[16384];
	static const uint16_t types[] = { IPCTNL_MSG_EXP_NEW, IPCTNL_MSG_EXP_DELETE,
					  IPCTNL_MSG_EXP_GET, 77 };
	static const unsigned int masks[] = { NFCT_T_ALL, NFCT_T_NEW,
					      NFCT_T_UPDATE, NFCT_T_DESTROY };
	const struct nlmsghdr *src = (const struct nlmsghdr *)msg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)copy;
	struct nf_expect *exp;
	int r;

	memcpy(copy, msg, src->nlmsg_len);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK_EXP << 8) | types[rn(4)];
	nlh->nlmsg_flags = pct(50) ? NLM_F_CREATE : 0;
	exp = nfexp_new();
	if (!exp)
		abort();
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	r = nfexp_parse_expect(masks[rn(4)], nlh, exp);
#pragma GCC diagnostic pop
	out("parse_expect type=%04x flags=%x r=%d\n", nlh->nlmsg_type,
	    nlh->nlmsg_flags, r);
	print_snp("parse_expect", exp_snprintf, exp, NFCT_T_UNKNOWN,
		  NFCT_O_DEFAULT, 0);
	nfexp_destroy(exp);
}

static void print_exp_attrs(const struct nf_expect *exp)
{
	char s[LAST_EXP_ATTR + 2];
	unsigned int i;

	for (i = 0; i <= LAST_EXP_ATTR; i++) {
		int r = nfexp_attr_is_set(exp, i);

		s[i] = r == 0 ? '0' : r == 1 ? '1' : '?';
	}
	s[LAST_EXP_ATTR + 1] = 0;
	out("exp bits %s\n", s);
	for (i = 0; i <= LAST_EXP_ATTR; i++) {
		const void *p;

		errno = 0;
		p = nfexp_get_attr(exp, i);
		out("x%u %s", i, p ? "ptr" : "null");
		switch (i) {
		case ATTR_EXP_HELPER_NAME:
		case ATTR_EXP_FN:
			if (p) {
				out(" \"");
				out_escaped(p, strlen(p));
				out("\"");
			}
			break;
		case ATTR_EXP_MASTER: case ATTR_EXP_EXPECTED:
		case ATTR_EXP_MASK: case ATTR_EXP_NAT_TUPLE:
			break;
		default:
			if (i == ATTR_EXP_ZONE || !p) {
				out(" u16=%u", nfexp_get_attr_u16(exp, i));
			} else {
				out(" u32=%u", nfexp_get_attr_u32(exp, i));
				out(" u16=%u", nfexp_get_attr_u16(exp, i));
			}
			out(" u8=%u", nfexp_get_attr_u8(exp, i));
			break;
		}
		out(" e%d\n", errno);
	}
	for (i = 0; i < 4; i++) {
		static const unsigned int bad[] = { 11, 12, 100, 0xffffffff };
		int r;
		const void *p;

		errno = 0;
		r = nfexp_attr_is_set(exp, bad[i]);
		out("xbad %u is_set=%d e%d", bad[i], r, errno);
		errno = 0;
		p = nfexp_get_attr(exp, bad[i]);
		out(" get=%s e%d", p ? "ptr" : "null", errno);
		errno = 0;
		out(" u32=%u e%d\n", nfexp_get_attr_u32(exp, bad[i]), errno);
	}
}

static void print_exp_cmp(const char *tag, const struct nf_expect *a,
			  const struct nf_expect *b)
{
	char s[129];
	unsigned int f;

	for (f = 0; f < 128; f++) {
		int r = nfexp_cmp(a, b, f);

		s[f] = r >= 0 && r <= 9 ? '0' + r : '?';
	}
	s[128] = 0;
	out("%s %s\n", tag, s);
}

static void test_expect(const struct nf_expect *exp,
			const struct nf_expect *prev)
{
	static char buf[16384];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nf_expect *c;
	int r;

	print_exp_attrs(exp);
	print_snp("xfull", exp_snprintf, exp, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0);
	print_snp("xfull", exp_snprintf, exp, NFCT_T_NEW, NFCT_O_DEFAULT, 15);
	print_snp("xfull", exp_snprintf, exp, NFCT_T_UNKNOWN, NFCT_O_XML, 0);
	print_snp("xfull", exp_snprintf, exp, NFCT_T_DESTROY, NFCT_O_XML, 15);
	snp_battery("xsnp", exp_snprintf, exp);
	snp_sizes("xsz", exp_snprintf, exp);

	c = nfexp_clone(exp);
	if (!c)
		abort();
	print_exp_cmp("xcmp self", exp, exp);
	print_exp_cmp("xcmp clone", exp, c);
	print_snp("xclone", exp_snprintf, c, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0);
	for (r = 0; r < 2; r++) {
		unsigned int id = rn(LAST_EXP_ATTR + 3);
		int u;

		errno = 0;
		u = nfexp_attr_unset(c, id);
		out("xunset %u r=%d e%d\n", id, u, errno);
	}
	print_snp("xunset", exp_snprintf, c, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0);
	print_exp_cmp("xcmp unset", exp, c);
	nfexp_destroy(c);
	if (prev) {
		print_exp_cmp("xcmp prev,cur", prev, exp);
		print_exp_cmp("xcmp cur,prev", exp, prev);
	}

	if (!on(S_EXPNL))
		return;
	put_nfgen(buf, (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW,
		  pct(50) ? AF_INET : AF_INET6);
	errno = 0;
	r = nfexp_nlmsg_build(nlh, exp);
	out("xbuild r=%d", r);
	if (r < 0)
		out(" e%d", errno);
	out(" len=%u ", nlh->nlmsg_len);
	out_msg(nlh);
	out("\n");
	c = nfexp_new();
	if (!c)
		abort();
	errno = 0;
	r = nfexp_nlmsg_parse(nlh, c);
	out("xparse r=%d", r);
	if (r < 0)
		out(" e%d", errno);
	out("\n");
	print_snp("xparsed", exp_snprintf, c, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0);
	print_snp("xparsed", exp_snprintf, c, NFCT_T_UNKNOWN, NFCT_O_XML, 0);
	print_exp_cmp("xcmp orig,parsed", exp, c);
	nfexp_destroy(c);
}

/* ---- labels map ------------------------------------------------------- */

static void test_labelmap(void)
{
	static const char *const names[] = {
		"eth0-in", "zero", "one", "high", "last", "nope", "", "spaced name",
		"dup", "Bit-200", "0",
	};
	unsigned int i, empty[3] = { 0, 0, 0 };

	if (!labelmap)
		return;
	out("labelmap names:");
	for (i = 0; i <= 1100; i++) {
		const char *n = nfct_labelmap_get_name(labelmap, i);

		if (!n)
			empty[2]++;
		else if (!*n)
			empty[1]++;
		else
			out(" %u=\"%s\"", i, n);
	}
	out(" (%u unnamed below the highest, %u past it)", empty[1], empty[2]);
	out("\nlabelmap bits:");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		out(" %s=%d", names[i], nfct_labelmap_get_bit(labelmap, names[i]));
	out("\n");
}

/* ---- main ------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: gen SEED COUNT [LABELMAP] [-v] [-o INDEX] "
		"[-x FUNC,...]\n       gen -m\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static char msg[16384];
	struct nf_conntrack *prev = NULL;
	struct nf_expect *prev_exp = NULL;
	const char *mapfile = NULL;
	unsigned long long seed = 0;
	long count = -1, i;
	int pos = 0, a, list_missing = 0;
	const char *skip = "";
	unsigned int k;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-v") == 0) {
			verbose = 1;
		} else if (strcmp(argv[a], "-o") == 0 && a + 1 < argc) {
			only = strtol(argv[++a], NULL, 10);
		} else if (strcmp(argv[a], "-x") == 0 && a + 1 < argc) {
			skip = argv[++a];
		} else if (strcmp(argv[a], "-m") == 0) {
			list_missing = 1;
		} else if (pos == 0) {
			seed = strtoull(argv[a], NULL, 0);
			pos++;
		} else if (pos == 1) {
			count = strtol(argv[a], NULL, 10);
			pos++;
		} else if (pos == 2) {
			mapfile = argv[a];
			pos++;
		} else {
			usage();
		}
	}
	if (list_missing) {
		/* the functions this library lacks, on one line */
		const char *sep = "";

		for (k = 0; k < NAPI; k++) {
			if (!api_table[k].fn) {
				printf("%s%s", sep, api_table[k].name);
				sep = " ";
			}
		}
		printf("\n");
		return 0;
	}
	if (pos < 2 || count < 0)
		usage();
	for (k = 0; k < S_N; k++)
		sec_on[k] = 1;
	for (k = 0; k < NAPI; k++) {
		const char *name = api_table[k].name, *p = skip;
		size_t n = strlen(name);

		if (!api_table[k].fn)
			sec_on[api_table[k].sec] = 0;
		for (; (p = strstr(p, name)); p += n)
			if ((p == skip || p[-1] == ',') && (p[n] == ',' || !p[n]))
				sec_on[api_table[k].sec] = 0;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	rng_seed(seed);

	cur_index = -1;
	out("seed %llu count %ld\n", seed, count);
	for (k = 0; k < S_N; k++)
		if (!sec_on[k])
			out("section %s left out\n", section_names[k]);
	if (!on(S_CORE)) {
		out("a core function is missing: nothing to compare\n");
		return 3;
	}
	if (on(S_LABELS))
		out("labels path %s\n", nfct_labels_get_path());
	if (mapfile && on(S_LABELS)) {
		labelmap = nfct_labelmap_new(mapfile);
		out("labelmap %s\n", labelmap ? "loaded" : "failed");
		test_labelmap();
	}

	for (i = 0; i < count; i++) {
		struct nf_conntrack *ct;
		struct nf_expect *exp;
		const char *how;

		cur_index = i;
		if (prev && pct(35)) {
			how = "mutated";
			ct = nfct_clone(prev);
			if (!ct)
				abort();
			out("ct %ld %s\n", i, how);
			mutate(ct);
		} else if (pct(30)) {
			size_t len = gen_kernel_msg(msg, sizeof(msg));
			int r;

			how = "kernel";
			ct = nfct_new();
			if (!ct)
				abort();
			out("ct %ld %s len=%zu ", i, how, len);
			out_hex(msg, len);
			out("\n");
			errno = 0;
			r = on(S_NLMSG) ? nfct_nlmsg_parse((struct nlmsghdr *)msg, ct) : 0;
			out("kparse r=%d", r);
			if (r < 0)
				out(" e%d", errno);
			out("\n");
			if (on(S_OLDPARSE))
				test_kernel_variants(msg);
		} else if (pct(2)) {
			how = "empty";
			ct = nfct_new();
			if (!ct)
				abort();
			out("ct %ld %s\n", i, how);
		} else {
			how = "setters";
			ct = nfct_new();
			if (!ct)
				abort();
			out("ct %ld %s\n", i, how);
			gen_conntrack(ct);
		}
		test_conntrack(ct, prev);
		if (pct(30) && on(S_FILTER))
			test_filter_dump();
		if (prev)
			nfct_destroy(prev);
		prev = ct;

		if (pct(60) && on(S_EXPECT)) {
			if (pct(30) && on(S_EXPNL)) {
				size_t len = gen_kernel_exp_msg(msg, sizeof(msg));
				int r;

				exp = nfexp_new();
				if (!exp)
					abort();
				out("exp %ld kernel len=%zu ", i, len);
				out_hex(msg, len);
				out("\n");
				errno = 0;
				r = nfexp_nlmsg_parse((struct nlmsghdr *)msg, exp);
				out("xkparse r=%d\n", r);
				test_kernel_exp_variants(msg);
			} else {
				exp = gen_expect(ct);
				out("exp %ld setters\n", i);
			}
			test_expect(exp, prev_exp);
			if (prev_exp)
				nfexp_destroy(prev_exp);
			prev_exp = exp;
		}
		if (fflush(stdout) != 0)
			return 1;
	}
	cur_index = -1;
	if (prev)
		nfct_destroy(prev);
	if (prev_exp)
		nfexp_destroy(prev_exp);
	if (labelmap)
		nfct_labelmap_destroy(labelmap);
	out("done\n");
	return fflush(stdout) == 0 ? 0 : 1;
}
