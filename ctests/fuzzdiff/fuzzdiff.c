/* Differential fuzz driver for nfct_nlmsg_parse / nfexp_nlmsg_parse and
 * the text formatters.
 *
 *   fuzzdiff run FILE [-f FIRST] [-x SKIPFILE]
 *       FILE holds records: a 4-byte little-endian length, then that many
 *       bytes of one netlink message. Each record from index FIRST on
 *       (except the indexes listed in SKIPFILE, one per line) is copied to
 *       an aligned buffer whose nlmsg_len is set to the record length
 *       rounded up to a multiple of 4 (zero padding), and
 *       parsed into a conntrack and into an expectation; the parse results,
 *       the attributes set, and nfct_snprintf / nfexp_snprintf in the
 *       default and XML forms with several flag sets are printed. A
 *       record's output is written only once it is complete ("== N" first),
 *       so a library that exits or crashes on record N leaves no partial
 *       block and the caller can go on from N + 1.
 *   fuzzdiff gen SEED COUNT FILE...
 *       writes COUNT records to stdout: the messages of FILEs (each file
 *       one raw message, as fuzz/seeds/nlmsg/ holds them) first, then mutations of them (byte flips, changed attribute
 *       lengths and types, truncations, attributes dropped or repeated,
 *       splices of two messages), from a fixed PRNG seeded with SEED.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#define MAXMSG 65536
/* Attribute ids known to the original (1.0.9): compared one by one. */
#define CT_ATTRS 75
#define EXP_ATTRS 11

struct rec {
	uint32_t len;
	unsigned char *data;
};

static struct rec *recs;
static size_t nrecs, caprecs;

static void add_rec(const unsigned char *data, uint32_t len)
{
	if (nrecs == caprecs) {
		caprecs = caprecs ? caprecs * 2 : 256;
		recs = realloc(recs, caprecs * sizeof(*recs));
		if (!recs)
			abort();
	}
	recs[nrecs].len = len;
	recs[nrecs].data = malloc(len ? len : 1);
	if (!recs[nrecs].data)
		abort();
	memcpy(recs[nrecs].data, data, len);
	nrecs++;
}

static void load_raw(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = malloc(MAXMSG);
	size_t len;

	if (!f || !buf) {
		perror(path);
		exit(2);
	}
	len = fread(buf, 1, MAXMSG, f);
	add_rec(buf, len);
	free(buf);
	fclose(f);
}

static void load(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char hdr[4], *buf;
	uint32_t len;

	if (!f) {
		perror(path);
		exit(2);
	}
	buf = malloc(MAXMSG);
	while (fread(hdr, 1, 4, f) == 4) {
		len = hdr[0] | hdr[1] << 8 | hdr[2] << 16 | (uint32_t)hdr[3] << 24;
		if (len > MAXMSG || fread(buf, 1, len, f) != len) {
			fprintf(stderr, "%s: bad record\n", path);
			exit(2);
		}
		add_rec(buf, len);
	}
	free(buf);
	fclose(f);
}

/* Output of one record, collected before it is written. */
static char *out;
static size_t outlen, outcap;

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(out + outlen, outcap - outlen, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < outcap - outlen)
			break;
		outcap = outcap * 2 + n + 1;
		out = realloc(out, outcap);
		if (!out)
			abort();
	}
	outlen += n;
}

static const unsigned int flagsets[] = {
	0,
	NFCT_OF_SHOW_LAYER3,
	NFCT_OF_ID,
	NFCT_OF_SHOW_LAYER3 | NFCT_OF_ID | NFCT_OF_TIMESTAMP,
	NFCT_OF_TIME | NFCT_OF_TIMESTAMP,
};
static const unsigned int msgtypes[] = { NFCT_T_UNKNOWN, NFCT_T_NEW, NFCT_T_DESTROY };

static void show_buf(const char *what, int ret, const char *buf)
{
	emit("%s = %d", what, ret);
	if (ret >= 0 || buf[0])
		emit(" [%s]", buf);
	emit("\n");
}

static void do_ct(const struct nlmsghdr *nlh)
{
	struct nf_conntrack *ct = nfct_new();
	char buf[4096];
	unsigned i, j;
	int ret;

	errno = 0;
	ret = nfct_nlmsg_parse(nlh, ct);
	emit("ct parse = %d\n", ret);
	emit("ct set:");
	for (i = 0; i < CT_ATTRS; i++)
		if (nfct_attr_is_set(ct, i) > 0)
			emit(" %u", i);
	emit("\n");
	for (i = 0; i < sizeof(msgtypes) / sizeof(msgtypes[0]); i++) {
		for (j = 0; j < sizeof(flagsets) / sizeof(flagsets[0]); j++) {
			char what[64];

			memset(buf, 0, sizeof(buf));
			ret = nfct_snprintf(buf, sizeof(buf), ct, msgtypes[i], NFCT_O_DEFAULT, flagsets[j]);
			snprintf(what, sizeof(what), "ct plain %u %u", msgtypes[i], flagsets[j]);
			show_buf(what, ret, buf);
			memset(buf, 0, sizeof(buf));
			ret = nfct_snprintf(buf, sizeof(buf), ct, msgtypes[i], NFCT_O_XML, flagsets[j]);
			snprintf(what, sizeof(what), "ct xml %u %u", msgtypes[i], flagsets[j]);
			show_buf(what, ret, buf);
		}
	}
	/* A small buffer: truncation. */
	memset(buf, 0, sizeof(buf));
	ret = nfct_snprintf(buf, 61, ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, NFCT_OF_SHOW_LAYER3);
	show_buf("ct plain 61", ret, buf);
	memset(buf, 0, sizeof(buf));
	ret = nfct_snprintf(buf, 97, ct, NFCT_T_UNKNOWN, NFCT_O_XML, 0);
	show_buf("ct xml 97", ret, buf);
	nfct_destroy(ct);
}

static void do_exp(const struct nlmsghdr *nlh)
{
	struct nf_expect *exp = nfexp_new();
	char buf[4096];
	unsigned i, j;
	int ret;

	errno = 0;
	ret = nfexp_nlmsg_parse(nlh, exp);
	emit("exp parse = %d\n", ret);
	emit("exp set:");
	for (i = 0; i < EXP_ATTRS; i++)
		if (nfexp_attr_is_set(exp, i) > 0)
			emit(" %u", i);
	emit("\n");
	for (i = 0; i < sizeof(msgtypes) / sizeof(msgtypes[0]); i++) {
		for (j = 0; j < sizeof(flagsets) / sizeof(flagsets[0]); j++) {
			char what[64];

			memset(buf, 0, sizeof(buf));
			ret = nfexp_snprintf(buf, sizeof(buf), exp, msgtypes[i], NFCT_O_DEFAULT, flagsets[j]);
			snprintf(what, sizeof(what), "exp plain %u %u", msgtypes[i], flagsets[j]);
			show_buf(what, ret, buf);
			memset(buf, 0, sizeof(buf));
			ret = nfexp_snprintf(buf, sizeof(buf), exp, msgtypes[i], NFCT_O_XML, flagsets[j]);
			snprintf(what, sizeof(what), "exp xml %u %u", msgtypes[i], flagsets[j]);
			show_buf(what, ret, buf);
		}
	}
	nfexp_destroy(exp);
}

/* Messages on which the original and ours differ by design, not compared:
 * - a string attribute that the parsers read (helper name, security
 *   context, expectation helper and function names) with no NUL in its
 *   payload: the original reads the string on past the attribute, to
 *   whatever NUL follows in the buffer; ours stops at the attribute's end;
 * - a CTA_TIMESTAMP_EVENT (27) that is not 8 bytes long: 1.0.9 does not
 *   know the attribute and skips it, 1.1.1 (the API we implement)
 *   terminates the process, ours fails with EINVAL;
 * - a CTA_EXPECT_CLASS (9) shorter than 4 bytes: the original reads the
 *   32-bit value anyway, past the attribute; ours fails with EINVAL. */
static int by_design_different(const unsigned char *p, size_t len,
					int depth, int exp)
{
	size_t pos = 0;

	while (pos + 4 <= len) {
		uint16_t alen, type;

		memcpy(&alen, p + pos, 2);
		memcpy(&type, p + pos + 2, 2);
		type &= NLA_TYPE_MASK;
		if (alen < 4 || pos + alen > len)
			break;
		if (depth == 0 && !exp && (type == 5 || type == 19) &&
		    by_design_different(p + pos + 4, alen - 4, 1, exp))
			return 1;
		if (depth == 0 && !exp && type == 27 && alen != 12)
			return 1;
		if (depth == 0 && exp && type == 9 && alen < 8)
			return 1;
		if (((depth == 0 && exp && (type == 6 || type == 11)) ||
		     (depth == 1 && type == 1)) &&
		    !memchr(p + pos + 4, 0, alen - 4))
			return 1;
		pos += (alen + 3u) & ~3u;
	}
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	size_t first = 0, i;
	char *skip;
	int opt, exp;

	load(argv[2]);
	skip = calloc(nrecs + 1, 1);
	for (opt = 3; opt + 1 < argc; opt += 2) {
		if (strcmp(argv[opt], "-f") == 0) {
			first = strtoul(argv[opt + 1], NULL, 10);
		} else if (strcmp(argv[opt], "-x") == 0) {
			FILE *f = fopen(argv[opt + 1], "r");
			unsigned long n;

			while (f && fscanf(f, "%lu", &n) == 1)
				if (n < nrecs)
					skip[n] = 1;
			if (f)
				fclose(f);
		}
	}
	for (i = first; i < nrecs; i++) {
		/* 8-byte aligned, zero-padded, at least the two headers. */
		static uint64_t msgbuf[MAXMSG / 8 + 8];
		struct nlmsghdr *nlh = (struct nlmsghdr *)msgbuf;
		uint32_t len = recs[i].len;

		if (skip[i])
			continue;
		if (len < 20)
			len = 20;
		/* libmnl walks attributes up to the aligned end of the message,
		 * so the original reads up to 3 bytes past an unaligned
		 * nlmsg_len; ours stops at nlmsg_len. Messages are padded to the
		 * alignment so that both read the same bytes. */
		len = (len + 3) & ~3u;
		memset(msgbuf, 0, len + 8);
		memcpy(msgbuf, recs[i].data, recs[i].len);
		nlh->nlmsg_len = len;
		outlen = 0;
		emit("== %zu len %u type 0x%x\n", i, len, nlh->nlmsg_type);
		exp = (nlh->nlmsg_type >> 8) == NFNL_SUBSYS_CTNETLINK_EXP;
		if (by_design_different((unsigned char *)msgbuf + 20, len - 20, 0, exp))
			emit("differs by design: not compared\n");
		else if (exp)
			do_exp(nlh);
		else
			do_ct(nlh);
		fwrite(out, 1, outlen, stdout);
		fflush(stdout);
	}
	free(skip);
	return 0;
}

/* xorshift32: the same sequence on every machine. */
static uint32_t rng;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* Offsets of the attributes of a message, nested ones included. */
static size_t find_attrs(const unsigned char *m, size_t len, size_t *offs, size_t max)
{
	size_t n = 0, stack[16], ends[16], depth = 0, pos = 20, end = len;

	while (n < max) {
		uint16_t alen, type;

		if (pos + 4 > end) {
			if (depth == 0)
				break;
			depth--;
			pos = stack[depth];
			end = ends[depth];
			continue;
		}
		memcpy(&alen, m + pos, 2);
		memcpy(&type, m + pos + 2, 2);
		if (alen < 4 || pos + alen > end) {
			if (depth == 0)
				break;
			depth--;
			pos = stack[depth];
			end = ends[depth];
			continue;
		}
		offs[n++] = pos;
		if ((type & NLA_F_NESTED) && depth < 16 && alen > 4) {
			stack[depth] = pos + ((alen + 3u) & ~3u);
			ends[depth] = end;
			depth++;
			end = pos + alen;
			pos += 4;
			continue;
		}
		pos += (alen + 3u) & ~3u;
	}
	return n;
}

static void put_rec(const unsigned char *m, uint32_t len)
{
	unsigned char hdr[4] = { len, len >> 8, len >> 16, len >> 24 };

	fwrite(hdr, 1, 4, stdout);
	fwrite(m, 1, len, stdout);
}

static int cmd_gen(int argc, char **argv)
{
	unsigned long count = strtoul(argv[3], NULL, 10), k;
	size_t base, i;
	unsigned char *m = malloc(MAXMSG);

	/* Every seed its own non-zero state. */
	rng = (uint32_t)strtoul(argv[2], NULL, 0) * 2654435761u ^ 0x9e3779b9u;
	if (!rng)
		rng = 1;
	for (i = 4; i < (size_t)argc; i++)
		load_raw(argv[i]);
	base = nrecs;
	if (!base)
		return 2;
	for (i = 0; i < base && i < count; i++)
		put_rec(recs[i].data, recs[i].len);
	for (k = base; k < count; k++) {
		const struct rec *r = &recs[rnd() % base];
		uint32_t len = r->len;
		size_t offs[256], n, steps = 1 + rnd() % 3, s;

		memcpy(m, r->data, len);
		for (s = 0; s < steps; s++) {
			n = find_attrs(m, len, offs, 256);
			switch (rnd() % 8) {
			case 0: /* flip a byte */
				if (len > 20)
					m[20 + rnd() % (len - 20)] ^= 1 << (rnd() % 8);
				break;
			case 1: /* change an attribute's length by a little */
				if (n) {
					size_t o = offs[rnd() % n];
					uint16_t al;

					memcpy(&al, m + o, 2);
					al += (int)(rnd() % 9) - 4;
					memcpy(m + o, &al, 2);
				}
				break;
			case 2: /* change an attribute's type */
				if (n) {
					size_t o = offs[rnd() % n];
					uint16_t t;

					memcpy(&t, m + o + 2, 2);
					t = (t & 0xc000) | ((t + 1 + rnd() % 4) & 0x3fff);
					if (rnd() % 4 == 0)
						t = rnd() & 0xffff;
					memcpy(m + o + 2, &t, 2);
				}
				break;
			case 3: /* truncate */
				if (len > 20)
					len = 20 + rnd() % (len - 20);
				break;
			case 4: /* drop an attribute (by a type nobody knows) */
				if (n) {
					size_t o = offs[rnd() % n];
					uint16_t t = 0x3000;

					memcpy(m + o + 2, &t, 2);
				}
				break;
			case 5: /* repeat the tail from an attribute on */
				if (n) {
					size_t o = offs[rnd() % n], tail = len - o;

					if (len + tail < MAXMSG) {
						memcpy(m + len, m + o, tail);
						len += tail;
					}
				}
				break;
			case 6: /* splice another message's attributes */
			{
				const struct rec *o = &recs[rnd() % base];

				if (o->len > 20 && len + o->len - 20 < MAXMSG) {
					memcpy(m + len, o->data + 20, o->len - 20);
					len += o->len - 20;
				}
				break;
			}
			case 7: /* family */
				if (len > 16)
					m[16] = (const unsigned char[]){ 2, 10, 0, 7 }[rnd() % 4];
				break;
			}
		}
		put_rec(m, len);
	}
	free(m);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "run") == 0)
		return cmd_run(argc, argv);
	if (argc >= 5 && strcmp(argv[1], "gen") == 0)
		return cmd_gen(argc, argv);
	fprintf(stderr, "usage: %s run FILE [-f FIRST] [-x SKIPFILE]\n"
		"       %s gen SEED COUNT FILE...\n", argv[0], argv[0]);
	return 2;
}
