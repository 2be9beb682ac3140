/* Shared by the benchmark programs: the entries they create (a fixed mix
 * of families, protocols, marks, zones and labels, derived from an
 * index), batched creation over a plain netlink socket, and a clock.
 *
 * Entry i: IPv6 when i % 4 == 3 (25 %), UDP when i % 3 == 0 (a third),
 * TCP ESTABLISHED otherwise; a mark when i % 5 == 0, zone 1 + i % 3 when
 * i % 7 == 0, a connection label when i % 6 == 0 (the namespace must
 * have a connlabel user, see run.sh). Counters and timestamps come from
 * the namespace's sysctls at creation time. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Entry `i` of the benchmark's table, built through the setters. Tuples
 * are unique per i (the source address carries it). `base` shifts the
 * address space so that several sets of entries can coexist. */
static inline struct nf_conntrack *bench_ct(uint32_t i, uint32_t base)
{
	struct nf_conntrack *ct = nfct_new();
	uint32_t n = i + base;
	int v6 = i % 4 == 3;
	int proto = i % 3 == 0 ? IPPROTO_UDP : IPPROTO_TCP;
	uint16_t sport = htons(1024 + i % 50000), dport = htons(proto == IPPROTO_UDP ? 53 : 443);

	if (!ct)
		return NULL;
	nfct_set_attr_u8(ct, ATTR_L3PROTO, v6 ? AF_INET6 : AF_INET);
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, v6 ? AF_INET6 : AF_INET);
	if (v6) {
		struct in6_addr s = { { { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } } };
		struct in6_addr d = { { { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } };

		s.s6_addr[1] = 1;
		s.s6_addr[12] = n >> 24;
		s.s6_addr[13] = n >> 16;
		s.s6_addr[14] = n >> 8;
		s.s6_addr[15] = n;
		nfct_set_attr(ct, ATTR_IPV6_SRC, &s);
		nfct_set_attr(ct, ATTR_IPV6_DST, &d);
		nfct_set_attr(ct, ATTR_REPL_IPV6_SRC, &d);
		nfct_set_attr(ct, ATTR_REPL_IPV6_DST, &s);
	} else {
		uint32_t s = htonl(0x0a000000 | (n & 0xffffff));
		uint32_t d = htonl(0xc0a80001);

		nfct_set_attr_u32(ct, ATTR_IPV4_SRC, s);
		nfct_set_attr_u32(ct, ATTR_IPV4_DST, d);
		nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, d);
		nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, s);
	}
	nfct_set_attr_u8(ct, ATTR_L4PROTO, proto);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, proto);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, sport);
	nfct_set_attr_u16(ct, ATTR_PORT_DST, dport);
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, dport);
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, sport);
	if (proto == IPPROTO_TCP)
		nfct_set_attr_u8(ct, ATTR_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 86400);
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_SEEN_REPLY | (i % 2 ? IPS_ASSURED : 0));
	if (i % 5 == 0)
		nfct_set_attr_u32(ct, ATTR_MARK, i);
	if (i % 7 == 0)
		nfct_set_attr_u16(ct, ATTR_ZONE, 1 + i % 3);
	if (i % 6 == 0) {
		struct nfct_bitmask *b = nfct_bitmask_new(127);

		if (b) {
			nfct_bitmask_set_bit(b, i % 128);
			nfct_bitmask_set_bit(b, 3);
			/* The object takes the bitmask. */
			nfct_set_attr(ct, ATTR_CONNLABELS, b);
		}
	}
	return ct;
}

/* Puts a ctnetlink request for `ct` (or, for NULL, a flush) at the
 * batch's current position. */
static inline int put_msg(struct mnl_nlmsg_batch *b, uint16_t type, uint16_t flags,
			  const struct nf_conntrack *ct)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(mnl_nlmsg_batch_current(b));
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = ct ? nfct_get_attr_u8(ct, ATTR_L3PROTO) : AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	if (ct && nfct_nlmsg_build(nlh, ct) < 0)
		return -1;
	return mnl_nlmsg_batch_next(b) ? 0 : 1;
}

/* Reads and counts the error messages waiting on `nl` (non-blocking). */
static inline unsigned drain_errors(struct mnl_socket *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned errs = 0;
	ssize_t n;

	while ((n = recv(mnl_socket_get_fd(nl), buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
		int len = n;

		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type == NLMSG_ERROR &&
			    ((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->error)
				errs++;
		}
	}
	return errs;
}

static inline struct mnl_socket *open_nl(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("mnl_socket");
		exit(1);
	}
	return nl;
}

/* Creates entries start..start+count-1 (offset `base`) as fast as the
 * kernel takes them: 64 KiB datagrams of requests without
 * acknowledgement. Returns the number of requests the kernel refused. */
static inline unsigned create_entries(struct mnl_socket *nl, uint32_t start, uint32_t count,
				      uint32_t base)
{
	static char buf[65536];
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof(buf) - 2048);
	unsigned errs = 0;

	for (uint32_t i = start; i < start + count; i++) {
		struct nf_conntrack *ct = bench_ct(i, base);

		if (put_msg(b, IPCTNL_MSG_CT_NEW, NLM_F_CREATE | NLM_F_EXCL, ct) < 0) {
			fprintf(stderr, "nfct_nlmsg_build failed\n");
			exit(1);
		}
		nfct_destroy(ct);
		if (mnl_nlmsg_batch_size(b) >= sizeof(buf) - 4096 || i + 1 == start + count) {
			if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b)) < 0) {
				perror("sendto");
				exit(1);
			}
			mnl_nlmsg_batch_reset(b);
			errs += drain_errors(nl);
		}
	}
	mnl_nlmsg_batch_stop(b);
	return errs + drain_errors(nl);
}

/* Deletes every entry of the namespace (IPCTNL_MSG_CT_DELETE without
 * attributes), waiting for the acknowledgement. */
static inline void flush_table(struct mnl_socket *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof(buf));

	put_msg(b, IPCTNL_MSG_CT_DELETE, NLM_F_ACK, NULL);
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b)) < 0 ||
	    mnl_socket_recvfrom(nl, buf, sizeof(buf)) < 0) {
		perror("flush");
		exit(1);
	}
	mnl_nlmsg_batch_stop(b);
}

#endif
