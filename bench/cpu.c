/* CPU only, no kernel: per object, build it through the setters,
 * nfct_nlmsg_build, nfct_nlmsg_parse into a fresh object, nfct_snprintf
 * of that object, nfct_cmp of the two. Prints objects/s and ns/object.
 * Usage: cpu N */
#include "common.h"

static unsigned long sink;

/* What callgrind counts (--toggle-collect=run_loop). */
__attribute__((noinline)) static void run_loop(uint32_t n)
{
	static char msg[4096];
	char text[1024];

	for (uint32_t i = 0; i < n; i++) {
		struct nf_conntrack *ct = bench_ct(i, 0), *back = nfct_new();
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(msg);
		struct nfgenmsg *nfg;

		nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
		nlh->nlmsg_flags = NLM_F_REQUEST;
		nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
		nfg->nfgen_family = nfct_get_attr_u8(ct, ATTR_L3PROTO);
		nfct_nlmsg_build(nlh, ct);
		nfct_nlmsg_parse(nlh, back);
		sink += nfct_snprintf(text, sizeof(text), back, NFCT_T_UNKNOWN, NFCT_O_DEFAULT,
				      NFCT_OF_SHOW_LAYER3);
		sink += nfct_cmp(ct, back, NFCT_CMP_ALL);
		nfct_destroy(back);
		nfct_destroy(ct);
	}
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 200000;
	double t0, t1;

	t0 = now_s();
	run_loop(n);
	t1 = now_s();
	printf("objects %u secs %.6f rate %.0f ns_per_object %.1f sink %lu\n", n, t1 - t0,
	       n / (t1 - t0), (t1 - t0) * 1e9 / n, sink);
	return 0;
}
