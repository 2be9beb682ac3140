// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Like conntrack_events, but a filter attached to the event socket lets
 * the kernel drop what does not match: with --proto only that layer 4
 * protocol, with --src only that IPv4 source address, with --mark only
 * that mark (VALUE[/MASK]).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "common.h"

static int cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct,
	      void *data)
{
	(void)data;
	print_ct(type, ct);
	return event_seen() ? NFCT_CB_STOP : NFCT_CB_CONTINUE;
}

int main(int argc, char **argv)
{
	struct nfct_filter *filter;
	struct nfct_handle *h;
	struct args a;
	int ret;

	parse_args(argc, argv, OPTBIT(OPT_COUNT) | OPTBIT(OPT_WAIT) |
		   OPTBIT(OPT_PROTO) | OPTBIT(OPT_SRC) | OPTBIT(OPT_MARK), &a);
	if (HAS(&a, OPT_SRC) && a.family != AF_INET) {
		fprintf(stderr, "%s: --src takes an IPv4 address\n", argv[0]);
		return 2;
	}

	filter = nfct_filter_create();
	if (!filter)
		return report("filter", -1);
	if (HAS(&a, OPT_PROTO))
		nfct_filter_add_attr_u32(filter, NFCT_FILTER_L4PROTO, a.proto);
	if (HAS(&a, OPT_SRC)) {
		/* the filter takes addresses in host byte order */
		struct nfct_filter_ipv4 src = {
			.addr = ntohl(a.src.v4.s_addr), .mask = 0xffffffff,
		};

		nfct_filter_add_attr(filter, NFCT_FILTER_SRC_IPV4, &src);
	}
	if (HAS(&a, OPT_MARK)) {
		struct nfct_filter_dump_mark mark = {
			.val = a.mark, .mask = a.mark_mask,
		};

		nfct_filter_add_attr(filter, NFCT_FILTER_MARK, &mark);
	}

	h = open_handle(CONNTRACK, NFCT_ALL_CT_GROUPS);
	ret = nfct_filter_attach(nfct_fd(h), filter);
	/* the kernel has its own copy now */
	nfct_filter_destroy(filter);
	if (report("attach", ret)) {
		nfct_close(h);
		return 1;
	}
	nfct_callback_register(h, NFCT_T_ALL, cb, NULL);

	start_deadline("events", a.count, a.wait);
	report("listen", 0);
	ret = nfct_catch(h);
	alarm(0);
	ret = report_count("events", ret, events_counted());

	nfct_close(h);
	return ret;
}
