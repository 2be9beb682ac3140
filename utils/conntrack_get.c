// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Looks up one conntrack entry by its original tuple (and zone) with
 * NFCT_Q_GET and prints it, and its label bits if it has any.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

/* nfct_snprintf() shows labels only by name: print the bits set. */
static void print_labels(const struct nf_conntrack *ct)
{
	const struct nfct_bitmask *b = nfct_get_attr(ct, ATTR_CONNLABELS);
	const char *sep = "";

	if (!b)
		return;
	printf("labels=");
	for (unsigned int i = 0; i <= nfct_bitmask_maxbit(b); i++) {
		if (nfct_bitmask_test_bit(b, i)) {
			printf("%s%u", sep, i);
			sep = ",";
		}
	}
	printf("\n");
}

static int cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct,
	      void *data)
{
	unsigned int *count = data;

	/* replies come as NFCT_T_UPDATE: print them without the tag */
	(void)type;
	print_ct(NFCT_T_UNKNOWN, ct);
	print_labels(ct);
	(*count)++;
	return NFCT_CB_CONTINUE;
}

int main(int argc, char **argv)
{
	struct nfct_handle *h;
	struct nf_conntrack *ct;
	unsigned int count = 0;
	struct args a;
	int ret;

	parse_args(argc, argv, OPTBIT(OPT_SRC) | OPTBIT(OPT_DST) |
		   OPTBIT(OPT_PROTO) | OPTBIT(OPT_SPORT) | OPTBIT(OPT_DPORT) |
		   OPTBIT(OPT_ZONE), &a);

	ct = nfct_new();
	if (!ct)
		return report("new", -1);
	set_orig_tuple(ct, &a);
	if (HAS(&a, OPT_ZONE))
		nfct_set_attr_u16(ct, ATTR_ZONE, a.zone);

	h = open_handle(CONNTRACK, 0);
	nfct_callback_register(h, NFCT_T_ALL, cb, &count);
	ret = nfct_query(h, NFCT_Q_GET, ct);
	ret = report_count("get", ret, count);

	nfct_close(h);
	nfct_destroy(ct);
	return ret;
}
