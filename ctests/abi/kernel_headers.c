/* The kernel's uapi headers next to ours, as netsniff-ng's flowtop and
 * libmnl-based tools include them: <linux/netfilter/nf_conntrack_tcp.h>
 * redefines the IP_CT_TCP_FLAG_* macros (fine only if spelled the same),
 * and nfnetlink_conntrack.h / nf_conntrack_common.h share our guards.
 * Built with -Werror, so a redefinition warning fails it.
 */
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <stdio.h>

static const char *const tcp_names[] = {
	[TCP_CONNTRACK_NONE] = "NONE",
	[TCP_CONNTRACK_SYN_SENT] = "SYN_SENT",
	[TCP_CONNTRACK_ESTABLISHED] = "ESTABLISHED",
	[TCP_CONNTRACK_TIME_WAIT] = "TIME_WAIT",
};

int main(void)
{
	struct nf_conntrack *ct = nfct_new();
	uint8_t flags = IP_CT_TCP_FLAG_SACK_PERM | IP_CT_TCP_FLAG_WINDOW_SCALE;
	int ok;

	if (ct == NULL)
		return 1;
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_ORIG, flags);
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_CONFIRMED);
	ok = nfct_get_attr_u8(ct, ATTR_TCP_FLAGS_ORIG) == flags &&
	     nfct_get_attr_u32(ct, ATTR_STATUS) == IPS_CONFIRMED &&
	     CTA_MAX >= CTA_STATUS;
	printf("kernel_headers: state %s\n",
	       tcp_names[nfct_get_attr_u8(ct, ATTR_TCP_STATE)]);
	nfct_destroy(ct);
	return ok ? 0 : 1;
}
