// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Deletes every expectation of one family (--family, default inet) with
 * NFCT_Q_FLUSH.
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

	h = open_handle(EXPECT, 0);
	ret = nfexp_query(h, NFCT_Q_FLUSH, &family);
	ret = report("flush", ret);

	nfct_close(h);
	return ret;
}
