// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Creates one conntrack entry with NFCT_Q_CREATE: by default tcp
 * 1.1.1.1:1025 -> 2.2.2.2:21, ESTABLISHED, timeout 600; optionally with a
 * mark and a helper. The reply tuple is the inverse of the original one
 * (NFCT_SOPT_SETUP_REPLY).
 */
#include <stdio.h>
#include <stdlib.h>

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
		   OPTBIT(OPT_HELPER),
		   &a);

	ct = nfct_new();
	if (!ct)
		return report("new", -1);

	set_orig_tuple(ct, &a);
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	if (a.proto == IPPROTO_TCP)
		nfct_set_attr_u8(ct, ATTR_TCP_STATE, a.state);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, a.timeout);
	if (HAS(&a, OPT_MARK))
		nfct_set_attr_u32(ct, ATTR_MARK, a.mark);
	if (HAS(&a, OPT_HELPER))
		nfct_set_attr(ct, ATTR_HELPER_NAME, a.helper);

	h = open_handle(CONNTRACK, 0);
	ret = nfct_query(h, NFCT_Q_CREATE, ct);
	ret = report("create", ret);

	nfct_close(h);
	nfct_destroy(ct);
	return ret;
}
