// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Creates a conntrack entry whose tuples are set a group at a time with
 * nfct_set_attr_grp() (addresses, then ports, of both directions), plus
 * the optional mark, zone, label bit and helper, and the timeout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
		   OPTBIT(OPT_STATE) | OPTBIT(OPT_TIMEOUT) | OPTBIT(OPT_MARK) |
		   OPTBIT(OPT_ZONE) | OPTBIT(OPT_LABEL) | OPTBIT(OPT_HELPER),
		   &a);

	ct = nfct_new();
	if (!ct)
		return report("new", -1);

	nfct_set_attr_u8(ct, ATTR_L3PROTO, a.family);
	if (a.family == AF_INET) {
		struct nfct_attr_grp_ipv4 orig = {
			.src = a.src.v4.s_addr, .dst = a.dst.v4.s_addr,
		};
		struct nfct_attr_grp_ipv4 repl = {
			.src = a.dst.v4.s_addr, .dst = a.src.v4.s_addr,
		};

		nfct_set_attr_grp(ct, ATTR_GRP_ORIG_IPV4, &orig);
		nfct_set_attr_grp(ct, ATTR_GRP_REPL_IPV4, &repl);
	} else {
		struct nfct_attr_grp_ipv6 orig, repl;

		memcpy(orig.src, &a.src.v6, sizeof(orig.src));
		memcpy(orig.dst, &a.dst.v6, sizeof(orig.dst));
		memcpy(repl.src, &a.dst.v6, sizeof(repl.src));
		memcpy(repl.dst, &a.src.v6, sizeof(repl.dst));
		nfct_set_attr_grp(ct, ATTR_GRP_ORIG_IPV6, &orig);
		nfct_set_attr_grp(ct, ATTR_GRP_REPL_IPV6, &repl);
	}
	/* the groups carry no protocol numbers: set them per direction */
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, a.family);
	nfct_set_attr_u8(ct, ATTR_L4PROTO, a.proto);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, a.proto);
	nfct_set_attr_grp(ct, ATTR_GRP_ORIG_PORT, &(struct nfct_attr_grp_port){
		.sport = htons(a.sport), .dport = htons(a.dport),
	});
	nfct_set_attr_grp(ct, ATTR_GRP_REPL_PORT, &(struct nfct_attr_grp_port){
		.sport = htons(a.dport), .dport = htons(a.sport),
	});

	if (a.proto == IPPROTO_TCP)
		nfct_set_attr_u8(ct, ATTR_TCP_STATE, a.state);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, a.timeout);
	if (HAS(&a, OPT_MARK))
		nfct_set_attr_u32(ct, ATTR_MARK, a.mark);
	if (HAS(&a, OPT_ZONE))
		nfct_set_attr_u16(ct, ATTR_ZONE, a.zone);
	if (HAS(&a, OPT_HELPER))
		nfct_set_attr(ct, ATTR_HELPER_NAME, a.helper);
	if (HAS(&a, OPT_LABEL)) {
		struct nfct_bitmask *labels = nfct_bitmask_new(127);
		struct nfct_bitmask *mask = nfct_bitmask_new(127);

		if (!labels || !mask)
			return report("bitmask", -1);
		nfct_bitmask_set_bit(labels, a.label);
		nfct_bitmask_set_bit(mask, a.label);
		/* the conntrack object takes both bitmasks */
		nfct_set_attr(ct, ATTR_CONNLABELS, labels);
		nfct_set_attr(ct, ATTR_CONNLABELS_MASK, mask);
	}

	h = open_handle(CONNTRACK, 0);
	ret = nfct_query(h, NFCT_Q_CREATE, ct);
	ret = report("create", ret);

	nfct_close(h);
	nfct_destroy(ct);
	return ret;
}
