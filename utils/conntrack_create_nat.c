// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Creates a NATed conntrack entry: the original tuple from the options,
 * and source and/or destination NAT (--snat ADDR [--snat-port PORT],
 * --dnat ADDR [--dnat-port PORT]); the kernel derives the reply tuple
 * from the NAT settings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>

#include "common.h"

int main(int argc, char **argv)
{
	struct nfct_handle *h;
	struct nf_conntrack *ct;
	struct args a;
	int ret;

	parse_args(argc, argv, OPTBIT(OPT_SRC) | OPTBIT(OPT_DST) |
		   OPTBIT(OPT_PROTO) | OPTBIT(OPT_SPORT) | OPTBIT(OPT_DPORT) |
		   OPTBIT(OPT_STATE) | OPTBIT(OPT_TIMEOUT) | OPTBIT(OPT_SNAT) |
		   OPTBIT(OPT_SNAT_PORT) | OPTBIT(OPT_DNAT) |
		   OPTBIT(OPT_DNAT_PORT), &a);
	if (!HAS(&a, OPT_SNAT) && !HAS(&a, OPT_DNAT)) {
		fprintf(stderr, "%s: give --snat and/or --dnat\n", argv[0]);
		return 2;
	}
	if ((HAS(&a, OPT_SNAT_PORT) && !HAS(&a, OPT_SNAT)) ||
	    (HAS(&a, OPT_DNAT_PORT) && !HAS(&a, OPT_DNAT))) {
		fprintf(stderr, "%s: a NAT port needs its NAT address\n",
			argv[0]);
		return 2;
	}

	ct = nfct_new();
	if (!ct)
		return report("new", -1);

	set_orig_tuple(ct, &a);
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	if (a.proto == IPPROTO_TCP)
		nfct_set_attr_u8(ct, ATTR_TCP_STATE, a.state);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, a.timeout);

	if (HAS(&a, OPT_SNAT)) {
		if (a.family == AF_INET)
			nfct_set_attr_u32(ct, ATTR_SNAT_IPV4, a.snat.v4.s_addr);
		else
			nfct_set_attr(ct, ATTR_SNAT_IPV6, &a.snat.v6);
		if (HAS(&a, OPT_SNAT_PORT))
			nfct_set_attr_u16(ct, ATTR_SNAT_PORT,
					  htons(a.snat_port));
	}
	if (HAS(&a, OPT_DNAT)) {
		if (a.family == AF_INET)
			nfct_set_attr_u32(ct, ATTR_DNAT_IPV4, a.dnat.v4.s_addr);
		else
			nfct_set_attr(ct, ATTR_DNAT_IPV6, &a.dnat.v6);
		if (HAS(&a, OPT_DNAT_PORT))
			nfct_set_attr_u16(ct, ATTR_DNAT_PORT,
					  htons(a.dnat_port));
	}

	h = open_handle(CONNTRACK, 0);
	ret = nfct_query(h, NFCT_Q_CREATE, ct);
	ret = report("create", ret);

	nfct_close(h);
	nfct_destroy(ct);
	return ret;
}
