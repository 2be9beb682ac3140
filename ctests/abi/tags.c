/* Every enum, struct and union tag upstream's headers declare is usable
 * under its name, with the same signedness and size, and the
 * function-like macro works. Uses no library function, so it builds and
 * runs before every export exists.
 */
#include <stdio.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_udp.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_icmp.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_sctp.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_dccp.h>

/* Enums of the main header. */
static enum nf_conntrack_attr attr = ATTR_IPV4_SRC;
static enum nf_conntrack_attr_grp grp = ATTR_GRP_ORIG_ADDR_SRC;
static enum nf_conntrack_msg_type msg = NFCT_T_ALL;
static enum nf_conntrack_query query = NFCT_Q_DUMP_FILTER;
static enum nf_expect_attr exp_attr = ATTR_EXP_FN;
static enum nfct_filter_attr filter_attr = NFCT_FILTER_ZONE;
static enum nfct_filter_logic logic = NFCT_FILTER_LOGIC_NEGATIVE;
static enum nfct_filter_dump_attr dump_attr = NFCT_FILTER_DUMP_TUPLE;

/* Enums of the protocol headers. */
static enum tcp_state tcp = TCP_CONNTRACK_SYN_SENT2;
static enum tcp_flags tcp_flags = TCP_EXPTUPLE_DPORT;
static enum udp_flags udp_flags = UDP_EXPTUPLE_DPORT;
static enum icmp_flags icmp_flags = ICMP_ID;
static enum sctp_state sctp = SCTP_CONNTRACK_HEARTBEAT_ACKED;
static enum dccp_state dccp = DCCP_CONNTRACK_INVALID;
static enum dccp_roles role = DCCP_CONNTRACK_ROLE_SERVER;

/* Enums of the kernel headers. */
static enum ip_conntrack_info info = IP_CT_NEW_REPLY;
static enum ip_conntrack_status status = IPS_UNCHANGEABLE_MASK;
static enum ip_conntrack_events event = IPCT_NATSEQADJ;
static enum ip_conntrack_expect_events exp_event = IPEXP_DESTROY;
static enum cntl_msg_types ct_msg = IPCTNL_MSG_CT_GET_UNCONFIRMED;
static enum ctnl_exp_msg_types exp_msg = IPCTNL_MSG_EXP_GET_STATS_CPU;
static enum ctattr_type cta = CTA_NAT;
static enum ctattr_tuple cta_tuple = CTA_TUPLE_ZONE;
static enum ctattr_ip cta_ip = CTA_IP_V6_DST;
static enum ctattr_l4proto cta_proto = CTA_PROTO_ICMPV6_CODE;
static enum ctattr_protoinfo cta_pinfo = CTA_PROTOINFO_SCTP;
static enum ctattr_protoinfo_tcp cta_tcp = CTA_PROTOINFO_TCP_FLAGS_REPLY;
static enum ctattr_protoinfo_dccp cta_dccp = CTA_PROTOINFO_DCCP_PAD;
static enum ctattr_protoinfo_sctp cta_sctp = CTA_PROTOINFO_SCTP_VTAG_REPLY;
static enum ctattr_counters cta_ctrs = CTA_COUNTERS_PAD;
static enum ctattr_tstamp cta_ts = CTA_TIMESTAMP_PAD;
static enum ctattr_nat cta_nat = CTA_NAT_MAXIP;
static enum ctattr_protonat cta_pnat = CTA_PROTONAT_PORT_MAX;
static enum ctattr_seqadj cta_seqadj = CTA_SEQADJ_OFFSET_AFTER;
static enum ctattr_natseq cta_natseq = CTA_NAT_SEQ_OFFSET_AFTER;
static enum ctattr_synproxy cta_synproxy = CTA_SYNPROXY_TSOFF;
static enum ctattr_expect cta_exp = CTA_EXPECT_FN;
static enum ctattr_expect_nat cta_exp_nat = CTA_EXPECT_NAT_TUPLE;
static enum ctattr_help cta_help = CTA_HELP_INFO;
static enum ctattr_secctx cta_secctx = CTA_SECCTX_NAME;
static enum ctattr_stats_cpu cta_stats = CTA_STATS_CHAIN_TOOLONG;
static enum ctattr_stats_global cta_global = CTA_STATS_GLOBAL_MAX_ENTRIES;
static enum ctattr_expect_stats cta_exp_stats = CTA_STATS_EXP_DELETE;
static enum ctattr_filter cta_filter = CTA_FILTER_REPLY_FLAGS;

/* Structs and unions: the opaque ones by pointer. */
static struct nf_conntrack *ct;
static struct nf_expect *exp;
static struct nfct_handle *handle;
static struct nfct_bitmask *bitmask;
static struct nfct_labelmap *labelmap;
static struct nfct_filter *filter;
static struct nfct_filter_dump *filter_dump;
static struct nfct_attr_grp_ipv4 grp_ipv4;
static struct nfct_attr_grp_ipv6 grp_ipv6;
static struct nfct_attr_grp_port grp_port;
static struct nfct_attr_grp_icmp grp_icmp;
static struct nfct_attr_grp_ctrs grp_ctrs;
static union nfct_attr_grp_addr grp_addr;
static struct nfct_filter_proto filter_proto;
static struct nfct_filter_ipv4 filter_ipv4;
static struct nfct_filter_ipv6 filter_ipv6;
static struct nfct_filter_dump_mark dump_mark;

/* GCC gives an enum with a negative value the type int, otherwise
 * unsigned int: the same value ranges as upstream give the same types. */
_Static_assert(sizeof(enum nf_conntrack_msg_type) == sizeof(int), "msg_type size");
_Static_assert((enum nf_conntrack_msg_type)-1 < 0, "msg_type is signed");
_Static_assert((enum nf_conntrack_attr)-1 > 0, "nf_conntrack_attr is unsigned");
_Static_assert((enum tcp_state)-1 > 0, "tcp_state is unsigned");
_Static_assert(NF_CT_STATE_BIT(IP_CT_RELATED_REPLY) == 4, "NF_CT_STATE_BIT");
_Static_assert(NFCT_ALL_CT_GROUPS == 7, "NFCT_ALL_CT_GROUPS");
_Static_assert(NFCT_DIR_MAX == 2, "NFCT_DIR_MAX");

int main(void)
{
	long sum = attr + grp + msg + query + exp_attr + filter_attr + logic +
		   dump_attr + tcp + tcp_flags + udp_flags + icmp_flags + sctp +
		   dccp + role + info + status + event + exp_event + ct_msg +
		   exp_msg + cta + cta_tuple + cta_ip + cta_proto + cta_pinfo +
		   cta_tcp + cta_dccp + cta_sctp + cta_ctrs + cta_ts + cta_nat +
		   cta_pnat + cta_seqadj + cta_natseq + cta_synproxy + cta_exp +
		   cta_exp_nat + cta_help + cta_secctx + cta_stats + cta_global +
		   cta_exp_stats + cta_filter;
	long size = sizeof(grp_ipv4) + sizeof(grp_ipv6) + sizeof(grp_port) +
		    sizeof(grp_icmp) + sizeof(grp_ctrs) + sizeof(grp_addr) +
		    sizeof(filter_proto) + sizeof(filter_ipv4) +
		    sizeof(filter_ipv6) + sizeof(dump_mark);
	int null = !ct && !exp && !handle && !bitmask && !labelmap && !filter &&
		   !filter_dump;

	/* Values summed from upstream 1.1.1's headers. */
	printf("tags: sum %ld, sizes %ld\n", sum, size);
	return (null && sum == 56898 && size == 132) ? 0 : 1;
}
