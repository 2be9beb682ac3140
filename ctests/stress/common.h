/* Shared by the stress programs (ctests/t-stress.sh): entries made from
 * an index and a port, batched creation and deletion over a libmnl
 * socket, memory figures from /proc/self/status, a clock, and a check
 * macro. Every program runs inside a network namespace of its own. */
#ifndef STRESS_COMMON_H
#define STRESS_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strerrorname_np */
#endif

#include <arpa/inet.h>
#include <errno.h>
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

/* Stops the program with a message naming the failed condition. */
#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
			exit(1);                                           \
		}                                                          \
	} while (0)

static inline double secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A "VmXXX:" line of /proc/self/status, in KiB (-1 when missing). */
static inline long vm_kib(const char *field)
{
	char line[256];
	size_t n = strlen(field);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, field, n) == 0 && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/* A TCP ESTABLISHED, ASSURED (so never early-dropped) IPv4 entry from
 * 10.x.y.z (the low 24 bits of `idx`) to 192.168.0.1:`dport`. The index
 * also sits in the mark; the port tells the sets of a program apart. */
static inline struct nf_conntrack *stress_ct(uint32_t idx, uint16_t dport)
{
	struct nf_conntrack *ct = nfct_new();
	uint32_t src = htonl(0x0a000000 | (idx & 0xffffff));
	uint32_t dst = htonl(0xc0a80001);
	uint16_t sport = htons(1024 + idx % 60000);

	if (!ct)
		return NULL;
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, src);
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, dst);
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, sport);
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(dport));
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, dst);
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, src);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(dport));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, sport);
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_SEEN_REPLY | IPS_ASSURED);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 3600);
	nfct_set_attr_u32(ct, ATTR_MARK, idx);
	return ct;
}

/* The index of an entry made by stress_ct with port `dport`, or -1. */
static inline long stress_idx(const struct nf_conntrack *ct, uint16_t dport)
{
	if (nfct_get_attr_u8(ct, ATTR_L3PROTO) != AF_INET ||
	    nfct_get_attr_u8(ct, ATTR_L4PROTO) != IPPROTO_TCP ||
	    nfct_get_attr_u16(ct, ATTR_PORT_DST) != htons(dport))
		return -1;
	return ntohl(nfct_get_attr_u32(ct, ATTR_IPV4_SRC)) & 0xffffff;
}

static inline struct mnl_socket *stress_nl(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);

	CHECK(nl && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == 0, "mnl socket: %s",
	      strerror(errno));
	return nl;
}

/* Counts the error acknowledgements waiting on `nl` (without blocking).
 * `eno`, when not NULL, gets the errno of the last one. */
static inline unsigned stress_errors(struct mnl_socket *nl, int *eno)
{
	char buf[65536];
	unsigned errs = 0;
	ssize_t n;

	while ((n = recv(mnl_socket_get_fd(nl), buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		int len = n;

		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, len);
		     h = mnl_nlmsg_next(h, &len)) {
			struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

			if (h->nlmsg_type == NLMSG_ERROR && e->error) {
				errs++;
				if (eno)
					*eno = -e->error;
			}
		}
	}
	return errs;
}

/* Sends IPCTNL_MSG_CT_NEW (create = 1) or IPCTNL_MSG_CT_DELETE for the
 * entries first..first+count-1 with port `dport`, packed into 64 KiB
 * datagrams, no acknowledgement asked for. Returns how many the kernel
 * refused; `eno` gets the errno of the last refusal. */
static inline unsigned stress_batch(struct mnl_socket *nl, int create, uint32_t first,
				    uint32_t count, uint16_t dport, int *eno)
{
	char buf[65536];
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof(buf) - 4096);
	unsigned errs = 0;

	for (uint32_t i = first; i < first + count; i++) {
		struct nf_conntrack *ct = stress_ct(i, dport);
		struct nlmsghdr *h = mnl_nlmsg_put_header(mnl_nlmsg_batch_current(b));
		struct nfgenmsg *g;

		CHECK(ct, "nfct_new");
		h->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) |
				(create ? IPCTNL_MSG_CT_NEW : IPCTNL_MSG_CT_DELETE);
		h->nlmsg_flags = NLM_F_REQUEST | (create ? NLM_F_CREATE | NLM_F_EXCL : 0);
		g = mnl_nlmsg_put_extra_header(h, sizeof(*g));
		g->nfgen_family = AF_INET;
		g->version = NFNETLINK_V0;
		CHECK(nfct_nlmsg_build(h, ct) == 0, "nfct_nlmsg_build");
		nfct_destroy(ct);
		/* A full batch leaves the request that did not fit for
		 * the next one. */
		if (!mnl_nlmsg_batch_next(b) || i + 1 == first + count) {
			CHECK(mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b),
						mnl_nlmsg_batch_size(b)) >= 0,
			      "sendto: %s", strerror(errno));
			mnl_nlmsg_batch_reset(b);
			/* The kernel handles a datagram inside sendto: its
			 * refusals are queued by now. */
			errs += stress_errors(nl, eno);
		}
	}
	if (mnl_nlmsg_batch_size(b) > 0) {
		CHECK(mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b)) >= 0,
		      "sendto: %s", strerror(errno));
		errs += stress_errors(nl, eno);
	}
	mnl_nlmsg_batch_stop(b);
	return errs;
}

#endif
