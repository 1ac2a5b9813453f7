// libnl-3 core message API, as Debian's libnl-3-dev installs it, plus the
// kernel's rtnetlink headers.
//
// sriovctl deliberately does NOT use libnl-route's SR-IOV helpers
// (netlink/route/link/sriov.h): in libnl 3.7 they always request VF stats
// (corrupt lists at >= 222 VFs), segfault on links without a VF list and write
// the 802.1ad protocol in host byte order. See docs/netlink.md.
//
// Only SRIOVLinux imports this module; no libnl type leaves that target.
#ifndef SRIOVCTL_CNETLINK_SHIM_H
#define SRIOVCTL_CNETLINK_SHIM_H
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/socket.h>
#include <netlink/errno.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/if_ether.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <sys/socket.h>
#include <unistd.h>

/* Swift cannot call these macros; one inline function each. */
static inline struct nlattr *sriovctl_nla_next(const struct nlattr *nla, int *remaining) {
    return nla_next(nla, remaining);
}
static inline int sriovctl_nlmsg_align(int len) { return NLMSG_ALIGN(len); }
static inline int sriovctl_nla_align(int len) { return NLA_ALIGN(len); }
#endif
