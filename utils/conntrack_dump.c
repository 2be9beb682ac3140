// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dumps the conntrack table of one family (--family, default inet) with
 * NFCT_Q_DUMP, printing each entry with nfct_snprintf().
 */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

static int cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct,
	      void *data)
{
	unsigned int *count = data;

	/* replies come as NFCT_T_UPDATE: print them without the tag */
	(void)type;
	print_ct(NFCT_T_UNKNOWN, ct);
	(*count)++;
	return NFCT_CB_CONTINUE;
}

int main(int argc, char **argv)
{
	struct nfct_handle *h;
	unsigned int count = 0;
	uint32_t family;
	struct args a;
	int ret;

	parse_args(argc, argv, OPTBIT(OPT_FAMILY), &a);
	family = a.dump_family;

	h = open_handle(CONNTRACK, 0);
	nfct_callback_register(h, NFCT_T_ALL, cb, &count);
	ret = nfct_query(h, NFCT_Q_DUMP, &family);
	ret = report_count("dump", ret, count);

	nfct_close(h);
	return ret;
}
