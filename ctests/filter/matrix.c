/* Differential filter matrix, run once with the original library and once
 * with ours (same binary, LD_LIBRARY_PATH picks the library). Inside a
 * fresh network namespace:
 *
 *   matrix events orig|ours GEN   event filters: for each case a filtered
 *                                 event handle and an unfiltered raw socket
 *                                 listen while the shell command GEN
 *                                 creates, updates and flushes a fixed set
 *                                 of entries;
 *   matrix dump orig|ours GEN     dump filters over the table GEN builds;
 *   matrix flush orig|ours GEN    flush filters, GEN rebuilding the table
 *                                 before each case.
 *
 * Output lines start with "cmp" (compared between the two runs by the
 * shell), "only" (1.1-only or known-difference cases, not compared) or
 * "lib" (which library is loaded). Each delivered or listed entry is
 * parsed here from the raw netlink message, not by the library, and
 * printed as one normalised line; lines are sorted per case. Independently
 * of the other run, every case is checked against the set a model of the
 * filter semantics computes from the unfiltered events or table; a
 * mismatch prints "MODEL" lines and makes the exit status 1. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <dlfcn.h>
#include <poll.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#define MAXLINES 256
#define LINELEN 200

/* One conntrack message as the kernel sent it. */
struct ev {
	char line[LINELEN];
	int family, proto;
	int has_v4, has_v6, has_proto, has_state, has_mark, has_zone;
	int state_kind; /* CTA_PROTOINFO_TCP, _DCCP or _SCTP */
	uint32_t src4, dst4, src6[4], dst6[4], mark, status;
	uint16_t zone, sport, dport;
	uint8_t state;
};

struct set {
	int n;
	struct ev e[MAXLINES];
};

static int ours, failures;

/* ---- raw parsing ---- */

static int attrs_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int t = mnl_attr_get_type(a);

	if (t <= CTA_MAX)
		tb[t] = a;
	return MNL_CB_OK;
}

static void nest(const struct nlattr *a, const struct nlattr **tb, int max)
{
	memset(tb, 0, sizeof(*tb) * (max + 1));
	if (a)
		mnl_attr_parse_nested(a, attrs_cb, tb);
}

static void words(const struct nlattr *a, uint32_t *w)
{
	const uint32_t *p = mnl_attr_get_payload(a);
	int i;

	for (i = 0; i < 4; i++)
		w[i] = ntohl(p[i]);
}

static void parse(const struct nlmsghdr *nlh, struct ev *e)
{
	const struct nlattr *tb[CTA_MAX + 1] = { 0 }, *t[CTA_MAX + 1], *ip[CTA_MAX + 1],
		*pr[CTA_MAX + 1], *pi[CTA_MAX + 1], *st[CTA_MAX + 1];
	const struct nfgenmsg *nfh = mnl_nlmsg_get_payload(nlh);
	const char *kind;
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	int i;

	memset(e, 0, sizeof(*e));
	if ((nlh->nlmsg_type & 0xff) == IPCTNL_MSG_CT_DELETE)
		kind = "DESTROY";
	else if (nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL))
		kind = "NEW";
	else
		kind = "UPDATE";
	e->family = nfh->nfgen_family;
	mnl_attr_parse(nlh, sizeof(*nfh), attrs_cb, tb);
	nest(tb[CTA_TUPLE_ORIG], t, CTA_MAX);
	nest(t[CTA_TUPLE_IP], ip, CTA_MAX);
	nest(t[CTA_TUPLE_PROTO], pr, CTA_MAX);
	if (ip[CTA_IP_V4_SRC] && ip[CTA_IP_V4_DST]) {
		e->has_v4 = 1;
		e->src4 = ntohl(mnl_attr_get_u32(ip[CTA_IP_V4_SRC]));
		e->dst4 = ntohl(mnl_attr_get_u32(ip[CTA_IP_V4_DST]));
		inet_ntop(AF_INET, mnl_attr_get_payload(ip[CTA_IP_V4_SRC]), s, sizeof(s));
		inet_ntop(AF_INET, mnl_attr_get_payload(ip[CTA_IP_V4_DST]), d, sizeof(d));
	} else if (ip[CTA_IP_V6_SRC] && ip[CTA_IP_V6_DST]) {
		e->has_v6 = 1;
		words(ip[CTA_IP_V6_SRC], e->src6);
		words(ip[CTA_IP_V6_DST], e->dst6);
		inet_ntop(AF_INET6, mnl_attr_get_payload(ip[CTA_IP_V6_SRC]), s, sizeof(s));
		inet_ntop(AF_INET6, mnl_attr_get_payload(ip[CTA_IP_V6_DST]), d, sizeof(d));
	} else {
		strcpy(s, "?");
		strcpy(d, "?");
	}
	if (pr[CTA_PROTO_NUM]) {
		e->has_proto = 1;
		e->proto = mnl_attr_get_u8(pr[CTA_PROTO_NUM]);
	}
	if (pr[CTA_PROTO_SRC_PORT])
		e->sport = ntohs(mnl_attr_get_u16(pr[CTA_PROTO_SRC_PORT]));
	if (pr[CTA_PROTO_DST_PORT])
		e->dport = ntohs(mnl_attr_get_u16(pr[CTA_PROTO_DST_PORT]));
	if (pr[CTA_PROTO_ICMP_ID])
		e->sport = ntohs(mnl_attr_get_u16(pr[CTA_PROTO_ICMP_ID]));
	if (pr[CTA_PROTO_ICMPV6_ID])
		e->sport = ntohs(mnl_attr_get_u16(pr[CTA_PROTO_ICMPV6_ID]));
	nest(tb[CTA_PROTOINFO], pi, CTA_MAX);
	for (i = CTA_PROTOINFO_TCP; i <= CTA_PROTOINFO_SCTP; i++) {
		/* The state attribute is the first of each protocol's nest. */
		if (!pi[i])
			continue;
		nest(pi[i], st, CTA_MAX);
		if (st[1]) {
			e->has_state = 1;
			e->state_kind = i;
			e->state = mnl_attr_get_u8(st[1]);
		}
	}
	if (tb[CTA_MARK]) {
		e->has_mark = 1;
		e->mark = ntohl(mnl_attr_get_u32(tb[CTA_MARK]));
	}
	if (tb[CTA_ZONE]) {
		e->has_zone = 1;
		e->zone = ntohs(mnl_attr_get_u16(tb[CTA_ZONE]));
	}
	if (tb[CTA_STATUS])
		e->status = ntohl(mnl_attr_get_u32(tb[CTA_STATUS]));
	snprintf(e->line, sizeof(e->line), "%s %d %d %s>%s %u>%u state=%s%d mark=%s%x zone=%s%u",
		 kind, e->family, e->proto, s, d, e->sport, e->dport,
		 e->has_state ? "" : "-", e->state, e->has_mark ? "" : "-", e->mark,
		 e->has_zone ? "" : "-", e->zone);
}

static void add_msgs(struct set *set, const char *buf, int len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_CTNETLINK || set->n >= MAXLINES)
			continue;
		parse(nlh, &set->e[set->n++]);
	}
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(((const struct ev *)a)->line, ((const struct ev *)b)->line);
}

/* Prints the sorted lines of `got`; checks them against `want` (sorted
 * too) unless want is NULL. */
static void report(const char *tag, const char *name, struct set *got, struct set *want)
{
	int i;

	qsort(got->e, got->n, sizeof(got->e[0]), cmp_line);
	for (i = 0; i < got->n; i++)
		printf("%s %s %s\n", tag, name, got->e[i].line);
	printf("%s %s count %d\n", tag, name, got->n);
	if (!want)
		return;
	qsort(want->e, want->n, sizeof(want->e[0]), cmp_line);
	for (i = 0; i < got->n || i < want->n; i++) {
		if (i < got->n && i < want->n && !strcmp(got->e[i].line, want->e[i].line))
			continue;
		printf("MODEL %s: got %d lines, model %d; first difference at %d:\n  got   %s\n  model %s\n",
		       name, got->n, want->n, i, i < got->n ? got->e[i].line : "(none)",
		       i < want->n ? want->e[i].line : "(none)");
		failures++;
		return;
	}
}

/* ---- event filter cases, applied to the library filter and a model ---- */

struct model {
	int logic[8];
	int nproto, protolen;
	unsigned char proto[256];
	uint16_t states[256];
	int n4[2], n6[2], nmark, nzone;
	struct nfct_filter_ipv4 v4[2][128];
	struct nfct_filter_ipv6 v6[2][32];
	struct nfct_filter_dump_mark mark[128];
	uint16_t zone[128];
};

static struct nfct_filter *F;
static struct model M;

static void proto(int p)
{
	nfct_filter_add_attr_u32(F, NFCT_FILTER_L4PROTO, p);
	if (M.protolen >= 255 || p >= 256)
		return;
	M.proto[p] = 1;
	M.protolen++;
}

static void state(int p, int s)
{
	struct nfct_filter_proto v = { .proto = p, .state = s };

	nfct_filter_add_attr(F, NFCT_FILTER_L4PROTO_STATE, &v);
	if (s < 16)
		M.states[p] |= 1 << s;
}

static void addr4(int dir, uint32_t a, uint32_t m)
{
	struct nfct_filter_ipv4 v = { .addr = a, .mask = m };

	nfct_filter_add_attr(F, dir ? NFCT_FILTER_DST_IPV4 : NFCT_FILTER_SRC_IPV4, &v);
	if (M.n4[dir] < 127)
		M.v4[dir][M.n4[dir]++] = v;
}

/* Address w0:w1::w3 with a prefix of `bits`. */
static void addr6(int dir, uint32_t w0, uint32_t w1, uint32_t w3, int bits)
{
	struct nfct_filter_ipv6 v = { .addr = { w0, w1, 0, w3 } };
	int i;

	for (i = 0; i < 4; i++) {
		int b = bits - 32 * i;

		v.mask[i] = b >= 32 ? ~0U : b <= 0 ? 0 : ~0U << (32 - b);
	}
	nfct_filter_add_attr(F, dir ? NFCT_FILTER_DST_IPV6 : NFCT_FILTER_SRC_IPV6, &v);
	if (M.n6[dir] < 20)
		M.v6[dir][M.n6[dir]++] = v;
}

static void mark(uint32_t val, uint32_t mask)
{
	struct nfct_filter_dump_mark v = { .val = val, .mask = mask };

	nfct_filter_add_attr(F, NFCT_FILTER_MARK, &v);
	if (M.nmark < 127)
		M.mark[M.nmark++] = v;
}

/* NFCT_FILTER_ZONE (7) is 1.1-only. */
static void zone(uint16_t z)
{
	nfct_filter_add_attr(F, 7, &z);
	if (M.nzone < 127)
		M.zone[M.nzone++] = z;
}

static void logic(int attr, int l)
{
	int rc = nfct_filter_set_logic(F, attr, l);

	if (rc == 0 && attr < 8)
		M.logic[attr] = l;
}

/* Whether a block with `logic` lets an event through when the event
 * matches (`m`). Only negative logic drops on a match. */
static int pass(int l, int m)
{
	return l == NFCT_FILTER_LOGIC_NEGATIVE ? !m : m;
}

static int model_passes(const struct ev *e)
{
	int i, d, m, p;

	if (M.protolen && e->has_proto) {
		if (!pass(M.logic[NFCT_FILTER_L4PROTO], M.proto[e->proto]))
			return 0;
	}
	for (d = 0; d < 2; d++) {
		uint32_t a = d ? e->dst4 : e->src4;
		const uint32_t *a6 = d ? e->dst6 : e->src6;

		/* For an IPv6 event the IPv4 lookup runs past the address
		 * nest: the source is not found (block skipped), the
		 * destination's type is that of CTA_TUPLE_PROTO, whose first
		 * word (the CTA_PROTO_NUM header) is compared. */
		if (M.n4[d] && e->has_v6 && d == 1)
			a = 0x05000100;
		if (M.n4[d] && (e->has_v4 || (e->has_v6 && d == 1))) {
			for (m = 0, i = 0; i < M.n4[d]; i++)
				m |= (a & M.v4[d][i].mask) == (M.v4[d][i].addr & M.v4[d][i].mask);
			if (!pass(M.logic[NFCT_FILTER_SRC_IPV4 + d], m))
				return 0;
		}
		if (M.n6[d] && e->has_v6) {
			for (m = 0, i = 0; i < M.n6[d]; i++) {
				int w, all = 1;

				for (w = 0; w < 4; w++)
					all &= (a6[w] & M.v6[d][i].mask[w]) ==
						(M.v6[d][i].addr[w] & M.v6[d][i].mask[w]);
				m |= all;
			}
			if (!pass(M.logic[NFCT_FILTER_SRC_IPV6 + d], m))
				return 0;
		}
	}
	/* One block per stateful protocol with states; each applies to the
	 * events carrying that protocol's state. */
	for (p = 0; p < 256; p++) {
		int kind = p == IPPROTO_TCP ? CTA_PROTOINFO_TCP :
			   p == IPPROTO_SCTP ? CTA_PROTOINFO_SCTP :
			   p == IPPROTO_DCCP ? CTA_PROTOINFO_DCCP : 0;

		if (!kind || !M.states[p] || !e->has_state || e->state_kind != kind)
			continue;
		if (!pass(M.logic[NFCT_FILTER_L4PROTO_STATE], (M.states[p] >> e->state) & 1))
			return 0;
	}
	if (M.nmark) {
		uint32_t v = e->has_mark ? e->mark : 0;

		for (m = 0, i = 0; i < M.nmark; i++)
			m |= (v & M.mark[i].mask) == (M.mark[i].val & M.mark[i].mask);
		if (!pass(M.logic[NFCT_FILTER_MARK], m))
			return 0;
	}
	if (M.nzone) {
		uint16_t v = e->has_zone ? e->zone : 0;

		for (m = 0, i = 0; i < M.nzone; i++)
			m |= v == M.zone[i];
		if (!pass(M.logic[7], m))
			return 0;
	}
	return 1;
}

enum kind { DIFF, OURS, KNOWN };

/* Builds case `i` into F and M; returns its name (NULL past the end) and
 * sets kind: DIFF cases are compared between libraries and with the
 * model, OURS cases (1.1-only) and KNOWN cases (documented differences
 * from 1.0.9) run the model check on ours only. */
static const char *event_case(int i, enum kind *k)
{
	const int N = NFCT_FILTER_LOGIC_NEGATIVE;
	int j;

	*k = DIFF;
	switch (i) {
	case 0: return "none";
	case 1: proto(IPPROTO_TCP); return "proto-tcp";
	case 2: proto(IPPROTO_TCP); logic(NFCT_FILTER_L4PROTO, N); return "proto-tcp-neg";
	case 3: proto(IPPROTO_UDP); proto(IPPROTO_ICMP); proto(IPPROTO_ICMPV6); return "proto-list";
	case 4: proto(IPPROTO_UDP); proto(IPPROTO_SCTP); logic(NFCT_FILTER_L4PROTO, N);
		return "proto-list-neg";
	case 5: for (j = 0; j < 255; j++) proto(IPPROTO_TCP);
		proto(IPPROTO_UDP); return "proto-255-then-udp";
	/* 1.0.9 does not range-check: 300 is written past its protocol
	 * map; 1.1.1 ignores it. */
	case 6: *k = KNOWN; proto(300); proto(IPPROTO_UDP); return "proto-out-of-range";
	case 7: state(IPPROTO_TCP, 3); return "state-tcp-est";
	case 8: state(IPPROTO_TCP, 1); state(IPPROTO_TCP, 2); state(IPPROTO_TCP, 3);
		return "state-tcp-list";
	case 9: state(IPPROTO_TCP, 3); logic(NFCT_FILTER_L4PROTO_STATE, N); return "state-tcp-neg";
	case 10: state(IPPROTO_SCTP, 3); return "state-sctp";
	case 11: state(IPPROTO_TCP, 16); state(IPPROTO_TCP, 7); return "state-out-of-range";
	case 12: addr4(0, 0x0a000000, 0xffffff00); return "src4-net";
	case 13: addr4(0, 0x0a000000, 0xff000000); logic(NFCT_FILTER_SRC_IPV4, N);
		return "src4-neg";
	case 14: addr4(1, 0x0a000002, ~0U); return "dst4-host";
	case 15: addr4(1, 0xc0a80000, 0xffff0000); logic(NFCT_FILTER_DST_IPV4, N);
		return "dst4-neg";
	case 16: addr4(0, 0x0a000001, ~0U); addr4(0, 0xac100000, 0xfff00000);
		addr4(0, 0x0a010000, 0xffff0000); return "src4-list";
	case 17: addr6(0, 0x20010db8, 0, 0, 32); return "src6-net";
	case 18: addr6(1, 0x20010db8, 0, 2, 128); return "dst6-host";
	case 19: addr6(0, 0xfd000000, 0, 0, 8); logic(NFCT_FILTER_SRC_IPV6, N); return "src6-neg";
	case 20: addr6(1, 0x20010db8, 1, 0, 48); logic(NFCT_FILTER_DST_IPV6, N); return "dst6-neg";
	case 21: mark(1, 0xff); return "mark";
	case 22: mark(1, ~0U); mark(0x100, 0xf00); return "mark-list";
	case 23: mark(0, ~0U); logic(NFCT_FILTER_MARK, N); return "mark-zero-neg";
	case 24: mark(1, 1); logic(NFCT_FILTER_MARK, N); return "mark-bit-neg";
	case 25: mark(1, 0xff); logic(NFCT_FILTER_MARK, 2); return "mark-logic-2";
	case 26: proto(IPPROTO_TCP); addr4(0, 0x0a000000, 0xff000000);
		logic(NFCT_FILTER_SRC_IPV4, N); return "tcp+src4-neg";
	case 27: addr4(0, 0x0a000000, 0xff000000); addr6(0, 0x20010db8, 0, 0, 32);
		return "src4+src6";
	case 28: mark(1, 0xff); proto(IPPROTO_TCP); return "mark+tcp";
	case 29: state(IPPROTO_TCP, 3); state(IPPROTO_TCP, 7); addr4(1, 0x0a000002, ~0U);
		return "states+dst4";
	case 30: proto(IPPROTO_UDP); mark(2, ~0U); addr4(1, 0xc0a80000, 0xffff0000);
		logic(NFCT_FILTER_L4PROTO, N); logic(NFCT_FILTER_MARK, N);
		logic(NFCT_FILTER_DST_IPV4, N); return "all-neg";
	case 31: nfct_filter_add_attr_u32(F, 100, IPPROTO_TCP); logic(100, N);
		proto(IPPROTO_UDP); return "bad-attr-ignored";
	case 32: *k = OURS; zone(7); return "zone";
	case 33: *k = OURS; zone(7); zone(8); logic(7, N); return "zone-neg";
	case 34: *k = OURS; zone(0); proto(IPPROTO_TCP); return "zone0+tcp";
	/* 1.0.9 sends a mismatching IPv6 word to the end of the block, so
	 * only its first address can match; 1.1.1 tries the next one. */
	case 35: *k = KNOWN; addr6(0, 0x20010db8, 0, 3, 128); addr6(0, 0xfd000000, 0, 1, 128);
		return "src6-list";
	case 36: *k = KNOWN; for (j = 0; j < 21; j++) addr6(1, 0x20010db8, 0, 100 + j, 128);
		addr6(1, 0x20010db8, 0, 2, 128); return "dst6-21";
	/* 1.0.9 writes each protocol's state block at the same place. */
	case 37: *k = KNOWN; state(IPPROTO_TCP, 3); state(IPPROTO_SCTP, 2); return "state-tcp+sctp";
	/* 1.0.9 fails to attach a state filter for a stateless protocol. */
	case 38: *k = KNOWN; state(IPPROTO_UDP, 1); return "state-udp";
	/* 90 addresses overflow 8-bit jumps: 1.0.9 wraps them, we refuse. */
	case 39: *k = KNOWN; for (j = 0; j < 90; j++) addr4(0, 0x0b000000 + j, ~0U);
		return "src4-90";
	}
	return NULL;
}

static void drain(int fd, struct set *set)
{
	char buf[65536];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n > 0) {
			add_msgs(set, buf, n);
			continue;
		}
		if (n < 0 && errno != EAGAIN) {
			printf("MODEL recv: %s\n", strerror(errno));
			failures++;
			return;
		}
		/* Events are queued before the generator's requests return;
		 * wait a little for stragglers anyway. */
		if (poll(&p, 1, 100) <= 0)
			return;
	}
}

static int raw_listener(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 7 };
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER), sz = 1 << 20;

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("netlink");
		exit(2);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return fd;
}

static void run(const char *gen)
{
	if (system(gen) != 0) {
		fprintf(stderr, "generator failed: %s\n", gen);
		exit(2);
	}
}

#define MAXCASES 64

/* All cases listen at once: each has its own handle with its filter, the
 * events are generated once, then each handle is drained. */
static void events(const char *gen)
{
	static struct set got, all, want;
	static struct model models[MAXCASES];
	struct nfct_handle *h[MAXCASES];
	const char *names[MAXCASES];
	int rc[MAXCASES], err[MAXCASES];
	enum kind kinds[MAXCASES];
	int i, n = 0, cases = 0, compared = 0, fd;

	for (i = 0; n < MAXCASES; i++) {
		int sz = 1 << 20;

		memset(&M, 0, sizeof(M));
		F = nfct_filter_create();
		names[n] = event_case(i, &kinds[n]);
		if (!names[n] || (kinds[n] == OURS && !ours)) {
			nfct_filter_destroy(F);
			if (!names[n])
				break;
			continue;
		}
		h[n] = nfct_open(CONNTRACK, NF_NETLINK_CONNTRACK_NEW | NF_NETLINK_CONNTRACK_UPDATE |
				     NF_NETLINK_CONNTRACK_DESTROY);
		if (!h[n]) {
			perror("nfct_open");
			exit(2);
		}
		setsockopt(nfct_fd(h[n]), SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		errno = 0;
		rc[n] = nfct_filter_attach(nfct_fd(h[n]), F);
		err[n] = rc[n] < 0 ? errno : 0;
		nfct_filter_destroy(F);
		models[n] = M;
		n++;
	}
	fd = raw_listener();
	run(gen);
	drain(fd, &all);
	close(fd);
	for (i = 0; i < n; i++) {
		const char *tag = kinds[i] == DIFF ? "cmp" : "only";

		printf("%s %s attach %d %s\n", tag, names[i], rc[i], err[i] ? strerror(err[i]) : "-");
		got.n = want.n = 0;
		drain(nfct_fd(h[i]), &got);
		nfct_close(h[i]);
		M = models[i];
		for (int j = 0; j < all.n; j++)
			if (rc[i] == 0 && model_passes(&all.e[j]))
				want.e[want.n++] = all.e[j];
		if (!strcmp(names[i], "src4-90") && ours) {
			/* Our documented refusal. */
			if (rc[i] != -1 || err[i] != EINVAL) {
				printf("MODEL src4-90: want EINVAL\n");
				failures++;
			}
			report(tag, names[i], &got, NULL);
		} else {
			report(tag, names[i], &got, kinds[i] == DIFF || ours ? &want : NULL);
		}
		cases++;
		compared += got.n;
	}
	printf("cmp events unfiltered %d\n", all.n);
	printf("events: %d cases, %d delivered events\n", cases, compared);
}

/* ---- errno and limit cases of the API, compared between libraries ---- */

static void errors(void)
{
	struct nfct_filter *f = nfct_filter_create();
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	int ids[] = { 8, 100, 0x7fffffff, -1 }, i, rc;

#define SHOW(what, expr) do { errno = 0; rc = (expr); \
	printf("cmp errors %s rc=%d errno=%s\n", what, rc, rc < 0 ? strerror(errno) : "-"); } while (0)
	for (i = 0; i < 4; i++) {
		char what[40];

		snprintf(what, sizeof(what), "set_logic(%d)", ids[i]);
		SHOW(what, nfct_filter_set_logic(f, ids[i], NFCT_FILTER_LOGIC_NEGATIVE));
		nfct_filter_add_attr_u32(f, ids[i], 6);
	}
	SHOW("set_logic(mark,neg)", nfct_filter_set_logic(f, NFCT_FILTER_MARK, NFCT_FILTER_LOGIC_NEGATIVE));
	SHOW("set_logic(mark,neg) again", nfct_filter_set_logic(f, NFCT_FILTER_MARK, NFCT_FILTER_LOGIC_NEGATIVE));
	SHOW("set_logic(mark,pos) after", nfct_filter_set_logic(f, NFCT_FILTER_MARK, NFCT_FILTER_LOGIC_POSITIVE));
	SHOW("set_logic(proto,pos)", nfct_filter_set_logic(f, NFCT_FILTER_L4PROTO, NFCT_FILTER_LOGIC_POSITIVE));
	SHOW("set_logic(proto,neg) after pos", nfct_filter_set_logic(f, NFCT_FILTER_L4PROTO, NFCT_FILTER_LOGIC_NEGATIVE));
	SHOW("set_logic(src4,7)", nfct_filter_set_logic(f, NFCT_FILTER_SRC_IPV4, 7));
	SHOW("attach(-1)", nfct_filter_attach(-1, f));
	SHOW("attach(fd)", nfct_filter_attach(fd, f));
	SHOW("detach", nfct_filter_detach(fd));
	SHOW("detach again", nfct_filter_detach(fd));
	SHOW("detach(-1)", nfct_filter_detach(-1));
	SHOW("attach(non-socket)", nfct_filter_attach(STDERR_FILENO, f));
	nfct_filter_destroy(f);
	close(fd);
#undef SHOW
}

/* ---- dump and flush filters ---- */

struct dcase {
	const char *name;
	enum kind kind;
	int has_mark, has_l3, has_status, has_zone, has_tuple;
	struct nfct_filter_dump_mark mark, status;
	uint8_t l3;
	uint16_t zone;
	/* tuple: family, protocol, source/destination (IPv4 host order or
	 * first IPv6 word, 0 = not set) */
	int t_family, t_proto;
	uint32_t t_src, t_dst6[4];
};

#define ASSURED IPS_ASSURED
#define SEEN IPS_SEEN_REPLY
static const struct dcase dcases[] = {
	{ .name = "none", .kind = DIFF, .has_l3 = 0 },
	{ .name = "l3-inet", .kind = DIFF, .has_l3 = 1, .l3 = AF_INET },
	{ .name = "l3-inet6", .kind = DIFF, .has_l3 = 1, .l3 = AF_INET6 },
	{ .name = "mark", .kind = DIFF, .has_mark = 1, .mark = { 1, 0xff } },
	{ .name = "mark-nibble", .kind = DIFF, .has_mark = 1, .mark = { 0x100, 0xf00 } },
	{ .name = "mark-zero", .kind = DIFF, .has_mark = 1, .mark = { 0, ~0U } },
	{ .name = "mark-unmasked-val", .kind = DIFF, .has_mark = 1, .mark = { 0x101, 0xff } },
	{ .name = "status-assured", .kind = DIFF, .has_status = 1, .status = { ASSURED, ASSURED } },
	{ .name = "status-seen", .kind = DIFF, .has_status = 1, .status = { SEEN, SEEN } },
	{ .name = "status-not-assured", .kind = DIFF, .has_status = 1, .status = { 0, ASSURED } },
	{ .name = "mark+l3-inet6", .kind = DIFF, .has_mark = 1, .mark = { 1, 1 }, .has_l3 = 1, .l3 = AF_INET6 },
	{ .name = "status+mark+l3", .kind = DIFF, .has_status = 1, .status = { SEEN, SEEN },
	  .has_mark = 1, .mark = { 0, 0xf00 }, .has_l3 = 1, .l3 = AF_INET },
	{ .name = "zone-7", .kind = OURS, .has_zone = 1, .zone = 7 },
	{ .name = "zone-8+l3", .kind = OURS, .has_zone = 1, .zone = 8, .has_l3 = 1, .l3 = AF_INET },
	{ .name = "tuple-src4", .kind = OURS, .has_tuple = 1, .t_family = AF_INET, .t_src = 0x0a000001 },
	{ .name = "tuple-tcp4", .kind = OURS, .has_tuple = 1, .t_family = AF_INET, .t_proto = IPPROTO_TCP },
	{ .name = "tuple-dst6", .kind = OURS, .has_tuple = 1, .t_family = AF_INET6,
	  .t_dst6 = { 0x20010db8, 0, 0, 2 } },
	{ .name = "zone-7+mark", .kind = OURS, .has_zone = 1, .zone = 7,
	  .has_mark = 1, .mark = { 4, 0xff } },
};

static struct nfct_filter_dump *dump_filter(const struct dcase *c, struct nf_conntrack **ct)
{
	struct nfct_filter_dump *f = nfct_filter_dump_create();

	*ct = NULL;
	if (c->has_mark)
		nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_MARK, &c->mark);
	if (c->has_l3)
		nfct_filter_dump_set_attr_u8(f, NFCT_FILTER_DUMP_L3NUM, c->l3);
	if (c->has_status)
		nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_STATUS, &c->status);
	if (c->has_zone)
		nfct_filter_dump_set_attr(f, 3 /* NFCT_FILTER_DUMP_ZONE */, &c->zone);
	if (c->has_tuple) {
		*ct = nfct_new();
		nfct_set_attr_u8(*ct, ATTR_ORIG_L3PROTO, c->t_family);
		if (c->t_proto)
			nfct_set_attr_u8(*ct, ATTR_ORIG_L4PROTO, c->t_proto);
		if (c->t_src)
			nfct_set_attr_u32(*ct, ATTR_ORIG_IPV4_SRC, htonl(c->t_src));
		if (c->t_dst6[0]) {
			uint32_t a[4];

			for (int i = 0; i < 4; i++)
				a[i] = htonl(c->t_dst6[i]);
			nfct_set_attr(*ct, ATTR_ORIG_IPV6_DST, a);
		}
		nfct_filter_dump_set_attr(f, 4 /* NFCT_FILTER_DUMP_TUPLE */, *ct);
	}
	return f;
}

/* Set when the kernel compares IPv6 tuple addresses the other way round:
 * ctnetlink_filter_match_tuple tests !ipv6_addr_cmp(), true when the
 * addresses are equal, so Linux 6.18 lists the entries whose address
 * differs. A fixed kernel passes with invert6 = 0. */
static int invert6;

/* The kernel's dump filter: mark and status compared under their mask
 * with the value as given, family, zone, tuple fields that are set. */
static int dump_model(const struct dcase *c, const struct ev *e)
{
	if (c->has_mark && ((e->has_mark ? e->mark : 0) & c->mark.mask) != c->mark.val)
		return 0;
	if (c->has_status && (e->status & c->status.mask) != c->status.val)
		return 0;
	if (c->has_l3 && e->family != c->l3)
		return 0;
	if (c->has_zone && (e->has_zone ? e->zone : 0) != c->zone)
		return 0;
	if (c->has_tuple) {
		if (e->family != c->t_family)
			return 0;
		if (c->t_proto && e->proto != c->t_proto)
			return 0;
		if (c->t_src && (!e->has_v4 || e->src4 != c->t_src))
			return 0;
		if (c->t_dst6[0] && (!e->has_v6 || (memcmp(e->dst6, c->t_dst6, 16) == 0) == invert6))
			return 0;
	}
	return 1;
}

/* What 1.0.9's NFCT_Q_FLUSH_FILTER removes: it sends no filter
 * attribute, only a family read from the first byte of its filter
 * object, the low byte of the mark value. */
static int flush_model_109(const struct dcase *c, const struct ev *e)
{
	uint8_t family = c->has_mark ? c->mark.val & 0xff : 0;

	return !family || e->family == family;
}

static int same(struct set *a, struct set *b)
{
	qsort(a->e, a->n, sizeof(a->e[0]), cmp_line);
	qsort(b->e, b->n, sizeof(b->e[0]), cmp_line);
	if (a->n != b->n)
		return 0;
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->e[i].line, b->e[i].line))
			return 0;
	return 1;
}

static struct set *cb_set;

static int dump_cb(const struct nlmsghdr *nlh, enum nf_conntrack_msg_type t,
		   struct nf_conntrack *ct, void *data)
{
	(void)t; (void)ct; (void)data;
	if (cb_set->n < MAXLINES)
		parse(nlh, &cb_set->e[cb_set->n++]);
	return NFCT_CB_CONTINUE;
}

/* The whole table, read with a raw dump request (not the library). */
static void table(struct set *set)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfh;
	int n;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nfh = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfh));
	nfh->nfgen_family = AF_UNSPEC;
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("table dump");
		exit(2);
	}
	set->n = 0;
	while ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		const struct nlmsghdr *m = (const struct nlmsghdr *)buf;
		int len = n, done = 0;

		for (; mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_type == NLMSG_DONE || m->nlmsg_type == NLMSG_ERROR)
				done = 1;
			else if (set->n < MAXLINES)
				parse(m, &set->e[set->n++]);
		}
		if (done)
			break;
	}
	mnl_socket_close(nl);
}

static void expect(struct set *want, const struct set *all, const struct dcase *c,
		   int flush, int rc)
{
	want->n = 0;
	for (int j = 0; j < all->n; j++) {
		int m = rc < 0 ? 0 : flush && !ours ? flush_model_109(c, &all->e[j]) :
			dump_model(c, &all->e[j]);

		/* A dump lists the matching entries, a flush leaves the
		 * others. */
		if (m != flush)
			want->e[want->n++] = all->e[j];
	}
}

/* Dump cases: every filter with NFCT_Q_DUMP_FILTER and _RESET on the
 * table GEN built. Flush cases: GEN rebuilds the table, the filter goes
 * with NFCT_Q_FLUSH_FILTER, what remains is listed. 1.0.9 sends no
 * filter attributes with a flush (1.1.1 does): only the unfiltered flush
 * is compared between the libraries, each run is checked against its
 * own model. */
static void dumps(const char *gen, int flush)
{
	static struct set got, all, want;
	const char *what = flush ? "flush" : "dump";
	int cases = 0, listed = 0;

	if (!flush)
		run(gen);
	for (size_t i = 0; i < sizeof(dcases) / sizeof(dcases[0]); i++) {
		const struct dcase *c = &dcases[i];
		const char *tag = c->kind == DIFF && (!flush || i == 0) ? "cmp" : "only";
		struct nfct_handle *h;
		struct nfct_filter_dump *f;
		struct nf_conntrack *ct;
		int rc, err, resets;

		if (c->kind == OURS && !ours)
			continue;
		for (resets = 0; resets < (flush ? 1 : 2); resets++) {
			char name[64];

			snprintf(name, sizeof(name), "%s/%s%s", what, c->name, resets ? "/reset" : "");
			if (flush)
				run(gen);
			table(&all);
			h = nfct_open(CONNTRACK, 0);
			if (!h) {
				perror("nfct_open");
				exit(2);
			}
			got.n = 0;
			cb_set = &got;
			nfct_callback_register2(h, NFCT_T_ALL, dump_cb, NULL);
			f = dump_filter(c, &ct);
			errno = 0;
			rc = nfct_query(h, flush ? NFCT_Q_FLUSH_FILTER :
				       resets ? NFCT_Q_DUMP_FILTER_RESET : NFCT_Q_DUMP_FILTER, f);
			err = rc < 0 ? errno : 0;
			printf("%s %s query %d %s\n", tag, name, rc, err ? strerror(err) : "-");
			nfct_filter_dump_destroy(f);
			if (ct)
				nfct_destroy(ct);
			nfct_close(h);
			if (flush)
				table(&got);
			if (rc < 0 && !(flush && c->has_tuple)) {
				/* Only a flush with a tuple is refused. */
				printf("MODEL %s: query failed: %s\n", name, strerror(err));
				failures++;
			}
			invert6 = 0;
			expect(&want, &all, c, flush, rc);
			if (c->t_dst6[0] && !same(&got, &want)) {
				invert6 = 1;
				expect(&want, &all, c, flush, rc);
				printf("only %s: the kernel inverts the IPv6 tuple comparison\n", name);
			}
			report(tag, name, &got, &want);
			cases++;
			listed += got.n;
		}
	}
	printf("%s: %d cases, %d entries listed\n", what, cases, listed);
}

int main(int argc, char *argv[])
{
	Dl_info info;

	if (argc != 4 || (strcmp(argv[2], "orig") && strcmp(argv[2], "ours"))) {
		fprintf(stderr, "usage: %s events|dump|flush|errors orig|ours GEN\n", argv[0]);
		return 2;
	}
	ours = !strcmp(argv[2], "ours");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!dladdr(dlsym(RTLD_DEFAULT, "nfct_open"), &info) || !info.dli_fname)
		return 2;
	printf("lib %s\n", info.dli_fname);
	if (!strcmp(argv[1], "events"))
		events(argv[3]);
	else if (!strcmp(argv[1], "dump"))
		dumps(argv[3], 0);
	else if (!strcmp(argv[1], "flush"))
		dumps(argv[3], 1);
	else if (!strcmp(argv[1], "errors"))
		errors();
	else
		return 2;
	return failures != 0;
}
