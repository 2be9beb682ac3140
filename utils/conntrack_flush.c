// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Deletes every conntrack entry with NFCT_Q_FLUSH, passing the family
 * --family (default inet). Current kernels flush all families whatever
 * the family says: they honour it only in a filtered flush
 * (conntrack_flush_filter).
 */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

int main(int argc, char **argv)
{
	struct nfct_handle *h;
	uint32_t family;
	struct args a;
	int ret;

	parse_args(argc, argv, OPTBIT(OPT_FAMILY), &a);
	family = a.dump_family;

	h = open_handle(CONNTRACK, 0);
	ret = nfct_query(h, NFCT_Q_FLUSH, &family);
	ret = report("flush", ret);

	nfct_close(h);
	return ret;
}
