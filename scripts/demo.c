/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A few conntrack entries built with the setters and printed with
 * nfct_snprintf, the way conntrack(8) prints them: written against the
 * original library's API, it must print the same with either library.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>

static void print(const struct nf_conntrack *ct)
{
	char buf[1024];

	if (nfct_snprintf(buf, sizeof(buf), ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT,
			  NFCT_OF_SHOW_LAYER3 | NFCT_OF_ID) < 0) {
		perror("nfct_snprintf");
		exit(1);
	}
	printf("%s\n", buf);
}

int main(void)
{
	struct nf_conntrack *ct;
	struct in6_addr a6;
	char buf[2048];

	/* tcp over IPv4, as a NATed connection would show up */
	ct = nfct_new();
	if (!ct)
		return 1;
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, inet_addr("192.168.1.10"));
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, inet_addr("93.184.216.34"));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, inet_addr("93.184.216.34"));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, inet_addr("203.0.113.7"));
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(51234));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(443));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(443));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(51234));
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 431999);
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_SEEN_REPLY | IPS_ASSURED |
			  IPS_CONFIRMED | IPS_SRC_NAT | IPS_SRC_NAT_DONE);
	nfct_set_attr_u32(ct, ATTR_MARK, 7);
	nfct_set_attr_u32(ct, ATTR_ID, 3735928559u);
	print(ct);
	printf("is SNAT: %d, is DNAT: %d\n", nfct_getobjopt(ct, NFCT_GOPT_IS_SNAT),
	       nfct_getobjopt(ct, NFCT_GOPT_IS_DNAT));
	if (nfct_snprintf(buf, sizeof(buf), ct, NFCT_T_NEW, NFCT_O_XML, 0) < 0)
		return 1;
	printf("%s\n", buf);
	nfct_destroy(ct);

	/* udp over IPv6, unreplied */
	ct = nfct_new();
	if (!ct)
		return 1;
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET6);
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET6);
	inet_pton(AF_INET6, "2001:db8::1", &a6);
	nfct_set_attr(ct, ATTR_IPV6_SRC, &a6);
	nfct_set_attr(ct, ATTR_REPL_IPV6_DST, &a6);
	inet_pton(AF_INET6, "2001:db8:0:0:1::53", &a6);
	nfct_set_attr(ct, ATTR_IPV6_DST, &a6);
	nfct_set_attr(ct, ATTR_REPL_IPV6_SRC, &a6);
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_UDP);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_UDP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(40000));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(53));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(53));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(40000));
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 29);
	nfct_set_attr_u32(ct, ATTR_STATUS, 0);
	nfct_set_attr_u16(ct, ATTR_ZONE, 1);
	print(ct);
	nfct_destroy(ct);

	/* an echo request: the setter fills in the reply type */
	ct = nfct_new();
	if (!ct)
		return 1;
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, inet_addr("10.0.0.1"));
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, inet_addr("10.0.0.2"));
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_ICMP);
	nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, 8);
	nfct_set_attr_u8(ct, ATTR_ICMP_CODE, 0);
	nfct_set_attr_u16(ct, ATTR_ICMP_ID, htons(4242));
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	print(ct);
	nfct_destroy(ct);
	return 0;
}
