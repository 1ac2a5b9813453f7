// The libvirt C API, as Debian's libvirt-dev installs it.
// Only SRIOVLibvirt imports this module; no libvirt type leaves that target.
#ifndef SRIOVCTL_CLIBVIRT_SHIM_H
#define SRIOVCTL_CLIBVIRT_SHIM_H
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#endif
