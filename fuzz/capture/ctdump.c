/* Dumps the conntrack and expectation tables of the current network
 * namespace over ctnetlink with libmnl, and writes every reply message
 * (nlmsghdr included) to DIR/<prefix>-<n>.bin, raw bytes as the kernel
 * sent them. These are the seed corpora of the fuzz targets. Run it
 * inside `unshare -n` after filling the table with the conntrack CLI.
 *
 * usage: ctdump DIR */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

static const char *outdir;
static unsigned count;
static const char *prefix;

static int save(const struct nlmsghdr *nlh, void *data)
{
	char path[4096];
	FILE *f;

	(void)data;
	snprintf(path, sizeof(path), "%s/%s-%03u.bin", outdir, prefix, count++);
	f = fopen(path, "wb");
	if (!f || fwrite(nlh, 1, nlh->nlmsg_len, f) != nlh->nlmsg_len) {
		perror(path);
		exit(1);
	}
	fclose(f);
	return MNL_CB_OK;
}

static int dump(struct mnl_socket *nl, int subsys, int msg, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfh;
	unsigned seq = time(NULL), portid = mnl_socket_get_portid(nl);
	int ret;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (subsys << 8) | msg;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	nfh = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfh));
	nfh->nfgen_family = AF_UNSPEC;
	nfh->version = NFNETLINK_V0;
	nfh->res_id = 0;

	prefix = name;
	count = 0;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("sendto");
		return -1;
	}
	while ((ret = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, ret, seq, portid, save, NULL);
		if (ret <= MNL_CB_STOP)
			break;
	}
	if (ret < 0) {
		perror("dump");
		return -1;
	}
	fprintf(stderr, "ctdump: %u %s messages\n", count, name);
	return 0;
}

int main(int argc, char **argv)
{
	struct mnl_socket *nl;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	outdir = argv[1];
	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("mnl_socket");
		return 1;
	}
	if (dump(nl, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET, "ct") < 0 ||
	    dump(nl, NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_GET, "exp") < 0)
		return 1;
	mnl_socket_close(nl);
	return 0;
}
