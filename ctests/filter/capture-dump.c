/* Prints, per case, the dump request nfct_nlmsg_build_filter makes from a
 * dump filter: "name rc hexbytes". Built against the original library,
 * its output is golden-dump.txt; built against ours it must match. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

static void run(const char *name, struct nfct_filter_dump *f)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfh;
	unsigned int i;
	int rc;

	memset(buf, 0xaa, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	nfh = mnl_nlmsg_put_extra_header(nlh, sizeof(struct nfgenmsg));
	nfh->nfgen_family = AF_UNSPEC;
	nfh->version = NFNETLINK_V0;
	nfh->res_id = 0;

	rc = nfct_nlmsg_build_filter(nlh, f);
	printf("%s %d ", name, rc);
	for (i = 0; i < nlh->nlmsg_len; i++)
		printf("%02x", (unsigned char)buf[i]);
	printf("\n");
	nfct_filter_dump_destroy(f);
}

int main(void)
{
	struct nfct_filter_dump_mark m = { .val = 0x11223344, .mask = 0xff00ff00 };
	struct nfct_filter_dump_mark s = { .val = 0x8, .mask = 0x2 };
	struct nfct_filter_dump *f;

	run("empty", nfct_filter_dump_create());

	f = nfct_filter_dump_create();
	nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_MARK, &m);
	run("mark", f);

	f = nfct_filter_dump_create();
	nfct_filter_dump_set_attr_u8(f, NFCT_FILTER_DUMP_L3NUM, AF_INET6);
	run("l3num", f);

	f = nfct_filter_dump_create();
	nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_STATUS, &s);
	run("status", f);

	f = nfct_filter_dump_create();
	nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_STATUS, &s);
	nfct_filter_dump_set_attr_u8(f, NFCT_FILTER_DUMP_L3NUM, AF_INET);
	nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_MARK, &m);
	run("all", f);

	/* Unknown attribute types are ignored. */
	f = nfct_filter_dump_create();
	nfct_filter_dump_set_attr_u8(f, 100, 1);
	run("unknown", f);

	return 0;
}
