/* Without CAP_NET_ADMIN: what opening handles with and without event
 * groups, and each kind of query, return. The program drops root itself
 * (it starts as root in a fresh network namespace). */
#include <grp.h>
#include "common.h"

int main(void)
{
	struct nfct_handle *h;
	struct nf_conntrack *ct;
	uint32_t family = AF_INET;

	if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
		perror("drop root");
		return 1;
	}
	errno = 0;
	h = nfct_open(CONNTRACK, NFCT_ALL_CT_GROUPS);
	printf("open with groups: %s errno=%s\n", h ? "handle" : "NULL",
	       h ? "-" : strerror(errno));
	if (h)
		nfct_close(h);
	h = nfct_open(EXPECT, NF_NETLINK_CONNTRACK_EXP_NEW);
	printf("open expect with groups: %s errno=%s\n", h ? "handle" : "NULL",
	       h ? "-" : strerror(errno));
	if (h)
		nfct_close(h);
	h = nfct_open(NFNL_SUBSYS_NONE, 0);
	if (!h) { perror("open"); return 1; }
	ct = nfct_new();
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	set_addr4(ct, ATTR_IPV4_SRC, "192.0.2.1");
	set_addr4(ct, ATTR_IPV4_DST, "192.0.2.2");
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_UDP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(1));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(2));
	SHOW("create", nfct_query(h, NFCT_Q_CREATE, ct));
	SHOW("get", nfct_query(h, NFCT_Q_GET, ct));
	SHOW("destroy", nfct_query(h, NFCT_Q_DESTROY, ct));
	SHOW("dump", nfct_query(h, NFCT_Q_DUMP, &family));
	SHOW("flush", nfct_query(h, NFCT_Q_FLUSH, &family));
	SHOW("expect dump", nfexp_query(h, NFCT_Q_DUMP, &family));
	SHOW("send dump", nfct_send(h, NFCT_Q_DUMP, &family));
	SHOW("catch", nfct_catch(h));
	nfct_destroy(ct);
	SHOW("close", nfct_close(h));
	return 0;
}
