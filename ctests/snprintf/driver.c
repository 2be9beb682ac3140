/* Differential driver for nfct_snprintf, nfct_snprintf_labels and
 * nfexp_snprintf: reads a script of objects built through the public
 * setters (see cases.txt) and prints every formatting result, return
 * value, errno and the exact bytes written, so that two library builds
 * can be diffed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <endian.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#define BUFSZ 8192

struct name { const char *s; int v; };

static const struct name ct_attrs[] = {
	{ "ORIG_IPV4_SRC", ATTR_ORIG_IPV4_SRC }, { "ORIG_IPV4_DST", ATTR_ORIG_IPV4_DST },
	{ "REPL_IPV4_SRC", ATTR_REPL_IPV4_SRC }, { "REPL_IPV4_DST", ATTR_REPL_IPV4_DST },
	{ "ORIG_IPV6_SRC", ATTR_ORIG_IPV6_SRC }, { "ORIG_IPV6_DST", ATTR_ORIG_IPV6_DST },
	{ "REPL_IPV6_SRC", ATTR_REPL_IPV6_SRC }, { "REPL_IPV6_DST", ATTR_REPL_IPV6_DST },
	{ "ORIG_PORT_SRC", ATTR_ORIG_PORT_SRC }, { "ORIG_PORT_DST", ATTR_ORIG_PORT_DST },
	{ "REPL_PORT_SRC", ATTR_REPL_PORT_SRC }, { "REPL_PORT_DST", ATTR_REPL_PORT_DST },
	{ "ICMP_TYPE", ATTR_ICMP_TYPE }, { "ICMP_CODE", ATTR_ICMP_CODE },
	{ "ICMP_ID", ATTR_ICMP_ID }, { "ORIG_L3PROTO", ATTR_ORIG_L3PROTO },
	{ "REPL_L3PROTO", ATTR_REPL_L3PROTO }, { "ORIG_L4PROTO", ATTR_ORIG_L4PROTO },
	{ "REPL_L4PROTO", ATTR_REPL_L4PROTO }, { "TCP_STATE", ATTR_TCP_STATE },
	{ "TIMEOUT", ATTR_TIMEOUT }, { "MARK", ATTR_MARK },
	{ "ORIG_COUNTER_PACKETS", ATTR_ORIG_COUNTER_PACKETS },
	{ "REPL_COUNTER_PACKETS", ATTR_REPL_COUNTER_PACKETS },
	{ "ORIG_COUNTER_BYTES", ATTR_ORIG_COUNTER_BYTES },
	{ "REPL_COUNTER_BYTES", ATTR_REPL_COUNTER_BYTES },
	{ "USE", ATTR_USE }, { "ID", ATTR_ID }, { "STATUS", ATTR_STATUS },
	{ "SECMARK", ATTR_SECMARK }, { "SCTP_STATE", ATTR_SCTP_STATE },
	{ "HELPER_NAME", ATTR_HELPER_NAME }, { "DCCP_STATE", ATTR_DCCP_STATE },
	{ "ZONE", ATTR_ZONE }, { "SECCTX", ATTR_SECCTX },
	{ "ORIG_ZONE", ATTR_ORIG_ZONE }, { "REPL_ZONE", ATTR_REPL_ZONE },
	{ NULL, 0 }
};

static const struct name exp_attrs[] = {
	{ "TIMEOUT", ATTR_EXP_TIMEOUT }, { "ZONE", ATTR_EXP_ZONE },
	{ "FLAGS", ATTR_EXP_FLAGS }, { "HELPER_NAME", ATTR_EXP_HELPER_NAME },
	{ "CLASS", ATTR_EXP_CLASS }, { "MASTER", ATTR_EXP_MASTER },
	{ "EXPECTED", ATTR_EXP_EXPECTED }, { "MASK", ATTR_EXP_MASK },
	{ NULL, 0 }
};

static struct nf_conntrack *ct;
static struct nf_expect *exp;
static struct nfct_labelmap *map;
static int lineno;

static void die(const char *what)
{
	fprintf(stderr, "line %d: %s\n", lineno, what);
	exit(2);
}

static int lookup(const struct name *t, const char *s)
{
	for (; t->s; t++)
		if (strcmp(t->s, s) == 0)
			return t->v;
	die("unknown attribute");
	return -1;
}

static void escape(const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = b[i];
		if (c == '\\')
			fputs("\\\\", stdout);
		else if (c >= 0x20 && c < 0x7f)
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

/* The full-size text of the current print command: small-size results
 * are shown as their difference from it. */
static char full[BUFSZ + 1];
static size_t full_len;

/* Prints one call: return value, errno and the bytes written. For a
 * full-size buffer that is the string; for a small buffer the last bytes
 * up to one past the size, after "=" when everything before them matches
 * the full-size text, or every byte otherwise. */
static void report(const char *what, const char *args, unsigned int size,
		   int ret, int err, const char *buf, int is_full)
{
	printf("%s %s size=%u ret=%d errno=%d ", what, args, size, ret, err);
	if (is_full) {
		full_len = ret >= 0 ? strnlen(buf, BUFSZ) : 0;
		memcpy(full, buf, full_len);
		putchar('[');
		escape(buf, full_len);
	} else {
		size_t keep = size > 8 ? size - 8 : 0;

		if (keep > full_len)
			keep = full_len;

		if (keep <= full_len && memcmp(buf, full, keep) == 0) {
			printf("=%zu[", keep);
			escape(buf + keep, size + 1 - keep);
		} else {
			putchar('[');
			escape(buf, size + 1);
		}
	}
	printf("]\n");
}

static void ct_print(unsigned int msg, unsigned int out, unsigned int flags,
		     unsigned int size, int use_map)
{
	static char buf[BUFSZ + 1];
	char args[96];
	int ret, err;

	memset(buf, 0x55, sizeof(buf));
	errno = 0;
	if (use_map)
		ret = nfct_snprintf_labels(buf, size, ct, msg, out, flags, map);
	else
		ret = nfct_snprintf(buf, size, ct, msg, out, flags);
	err = errno;
	snprintf(args, sizeof(args), "msg=%u out=%u flags=%u map=%d",
		 msg, out, flags, use_map);
	report("ct", args, size, ret, err, buf, size == BUFSZ);
}

static void exp_print(unsigned int msg, unsigned int out, unsigned int flags,
		      unsigned int size)
{
	static char buf[BUFSZ + 1];
	char args[64];
	int ret, err;

	memset(buf, 0x55, sizeof(buf));
	errno = 0;
	ret = nfexp_snprintf(buf, size, exp, msg, out, flags);
	err = errno;
	snprintf(args, sizeof(args), "msg=%u out=%u flags=%u", msg, out, flags);
	report("exp", args, size, ret, err, buf, size == BUFSZ);
}

/* Attributes without a setter that stores a value (timestamps, security
 * context) reach the object the way the kernel's do: through parsing. */
static void parse_into_ct(const char *kind, const char *a, const char *b)
{
	char msgbuf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(msgbuf);
	struct nfgenmsg *nfg;
	struct nlattr *nest;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_INET;
	nfg->version = NFNETLINK_V0;
	if (strcmp(kind, "ts") == 0) {
		nest = mnl_attr_nest_start(nlh, CTA_TIMESTAMP);
		if (strcmp(a, "-") != 0)
			mnl_attr_put_u64(nlh, CTA_TIMESTAMP_START,
					 htobe64(strtoull(a, NULL, 0)));
		if (strcmp(b, "-") != 0)
			mnl_attr_put_u64(nlh, CTA_TIMESTAMP_STOP,
					 htobe64(strtoull(b, NULL, 0)));
		mnl_attr_nest_end(nlh, nest);
	} else if (strcmp(kind, "counters") == 0) {
		int dir = strcmp(a, "ORIG") == 0 ? CTA_COUNTERS_ORIG : CTA_COUNTERS_REPLY;
		char *bytes;
		unsigned long long pk = strtoull(b, &bytes, 0);

		nest = mnl_attr_nest_start(nlh, dir);
		mnl_attr_put_u64(nlh, CTA_COUNTERS_PACKETS, htobe64(pk));
		mnl_attr_put_u64(nlh, CTA_COUNTERS_BYTES,
				 htobe64(strtoull(bytes + 1, NULL, 0)));
		mnl_attr_nest_end(nlh, nest);
	} else if (strcmp(kind, "use") == 0) {
		mnl_attr_put_u32(nlh, CTA_USE, htonl(strtoul(a, NULL, 0)));
	} else {
		nest = mnl_attr_nest_start(nlh, CTA_SECCTX);
		mnl_attr_put_strz(nlh, CTA_SECCTX_NAME, a);
		mnl_attr_nest_end(nlh, nest);
	}
	if (nfct_nlmsg_parse(nlh, ct) < 0)
		die("nfct_nlmsg_parse failed");
}

static void print_all(int is_exp, char **tok, int n)
{
	unsigned int msg, out, flags;

	if (n < 4)
		die("print: msg out flags [sizes]");
	msg = strtoul(tok[1], NULL, 0);
	out = strtoul(tok[2], NULL, 0);
	flags = strtoul(tok[3], NULL, 0);
	for (int m = 0; m <= (!is_exp && map != NULL); m++) {
		if (is_exp)
			exp_print(msg, out, flags, BUFSZ);
		else
			ct_print(msg, out, flags, BUFSZ, m);
		/* Sizes are numbers or inclusive ranges "lo-hi" or "lo-hi/step". */
		for (int i = 4; i < n; i++) {
			char *end;
			unsigned long lo = strtoul(tok[i], &end, 0), hi = lo, step = 1;

			if (*end == '-')
				hi = strtoul(end + 1, &end, 0);
			if (*end == '/')
				step = strtoul(end + 1, NULL, 0);
			if (step == 0)
				die("step 0");
			for (unsigned long s = lo; s <= hi && s < BUFSZ; s += step) {
				if (is_exp)
					exp_print(msg, out, flags, s);
				else
					ct_print(msg, out, flags, s, m);
			}
		}
	}
}

int main(int argc, char **argv)
{
	char line[1024];

	if (argc > 1) {
		map = nfct_labelmap_new(argv[1]);
		if (!map)
			die("cannot read label map");
	}
	while (fgets(line, sizeof(line), stdin)) {
		char *tok[64];
		int n = 0;
		char *p, *save = NULL;

		lineno++;
		line[strcspn(line, "\n")] = 0;
		if (line[0] == '#' || line[0] == 0)
			continue;
		printf("# %s\n", line);
		for (p = strtok_r(line, " ", &save); p && n < 64;
		     p = strtok_r(NULL, " ", &save))
			tok[n++] = p;
		if (n == 0)
			continue;

		if (strcmp(tok[0], "new") == 0) {
			if (ct)
				nfct_destroy(ct);
			ct = nfct_new();
		} else if (strcmp(tok[0], "exp") == 0) {
			if (exp)
				nfexp_destroy(exp);
			exp = nfexp_new();
		} else if (n == 3 && strcmp(tok[0], "u8") == 0) {
			nfct_set_attr_u8(ct, lookup(ct_attrs, tok[1]), strtoul(tok[2], NULL, 0));
		} else if (n == 3 && strcmp(tok[0], "u16") == 0) {
			nfct_set_attr_u16(ct, lookup(ct_attrs, tok[1]), strtoul(tok[2], NULL, 0));
		} else if (n == 3 && strcmp(tok[0], "u32") == 0) {
			nfct_set_attr_u32(ct, lookup(ct_attrs, tok[1]), strtoul(tok[2], NULL, 0));
		} else if (n == 3 && strcmp(tok[0], "u64") == 0) {
			nfct_set_attr_u64(ct, lookup(ct_attrs, tok[1]), strtoull(tok[2], NULL, 0));
		} else if (n == 3 && strcmp(tok[0], "port") == 0) {
			nfct_set_attr_u16(ct, lookup(ct_attrs, tok[1]), htons(strtoul(tok[2], NULL, 0)));
		} else if (n == 3 && strcmp(tok[0], "ip4") == 0) {
			nfct_set_attr_u32(ct, lookup(ct_attrs, tok[1]), inet_addr(tok[2]));
		} else if (n == 3 && strcmp(tok[0], "ip6") == 0) {
			struct in6_addr a;
			if (inet_pton(AF_INET6, tok[2], &a) != 1)
				die("bad IPv6 address");
			nfct_set_attr(ct, lookup(ct_attrs, tok[1]), &a);
		} else if (n == 3 && strcmp(tok[0], "str") == 0) {
			nfct_set_attr(ct, lookup(ct_attrs, tok[1]), tok[2]);
		} else if (n == 3 && strcmp(tok[0], "ts") == 0) {
			parse_into_ct("ts", tok[1], tok[2]);
		} else if (n == 4 && strcmp(tok[0], "counters") == 0) {
			char pb[64];
			snprintf(pb, sizeof(pb), "%s,%s", tok[2], tok[3]);
			parse_into_ct("counters", tok[1], pb);
		} else if (n == 2 && strcmp(tok[0], "use") == 0) {
			parse_into_ct("use", tok[1], NULL);
		} else if (n == 2 && strcmp(tok[0], "secctx") == 0) {
			parse_into_ct("secctx", tok[1], NULL);
		} else if (n >= 2 && strcmp(tok[0], "labels") == 0) {
			struct nfct_bitmask *b = nfct_bitmask_new(strtoul(tok[1], NULL, 0));
			for (int i = 2; i < n; i++)
				nfct_bitmask_set_bit(b, strtoul(tok[i], NULL, 0));
			nfct_set_attr(ct, ATTR_CONNLABELS, b);
		} else if (n == 3 && strcmp(tok[0], "xu16") == 0) {
			nfexp_set_attr_u16(exp, lookup(exp_attrs, tok[1]), strtoul(tok[2], NULL, 0));
		} else if (n == 3 && strcmp(tok[0], "xu32") == 0) {
			nfexp_set_attr_u32(exp, lookup(exp_attrs, tok[1]), strtoul(tok[2], NULL, 0));
		} else if (n == 3 && strcmp(tok[0], "xstr") == 0) {
			nfexp_set_attr(exp, lookup(exp_attrs, tok[1]), tok[2]);
		} else if (n == 2 && strcmp(tok[0], "xct") == 0) {
			nfexp_set_attr(exp, lookup(exp_attrs, tok[1]), ct);
		} else if (strcmp(tok[0], "print") == 0) {
			print_all(0, tok, n);
		} else if (strcmp(tok[0], "xprint") == 0) {
			print_all(1, tok, n);
		} else {
			die("unknown command");
		}
	}
	return 0;
}
