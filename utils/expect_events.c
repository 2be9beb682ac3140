// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Prints expectation events (new, destroy) as nfexp_catch() delivers
 * them, until --count events were seen or --wait seconds passed.
 * "op=listen status=ok" is printed once the socket is subscribed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common.h"

static int cb(enum nf_conntrack_msg_type type, struct nf_expect *exp,
	      void *data)
{
	(void)data;
	print_exp(type, exp);
	return event_seen() ? NFCT_CB_STOP : NFCT_CB_CONTINUE;
}

int main(int argc, char **argv)
{
	struct nfct_handle *h;
	struct args a;
	int ret;

	parse_args(argc, argv, OPTBIT(OPT_COUNT) | OPTBIT(OPT_WAIT), &a);

	h = open_handle(EXPECT, NF_NETLINK_CONNTRACK_EXP_NEW |
				NF_NETLINK_CONNTRACK_EXP_UPDATE |
				NF_NETLINK_CONNTRACK_EXP_DESTROY);
	nfexp_callback_register(h, NFCT_T_ALL, cb, NULL);

	start_deadline("events", a.count, a.wait);
	report("listen", 0);
	ret = nfexp_catch(h);
	alarm(0);
	ret = report_count("events", ret, events_counted());

	nfct_close(h);
	return ret;
}
