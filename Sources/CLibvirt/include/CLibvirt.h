// The libvirt C API, loaded on first use.
//
// Why this exists: linking libvirt.so pulls about 50 shared libraries into every
// sriovctl process, which made `list`, `vf` and `provision` (which never talk to
// libvirt) start 2-7x slower than iproute2 (docs/benchmarks.md). This target
// dlopen()s libvirt.so.0 the first time a libvirt call is made, so only the
// commands that use libvirt pay for it. Types and constants still come from
// Debian's libvirt-dev headers.
//
// Each sriovctl_vir* function forwards to the libvirt function of the same name.
// Call sriovctl_libvirt_load() first: it returns 0 when libvirt is available, or
// -1 with a message in sriovctl_libvirt_load_error(). Only SRIOVLibvirt imports
// this module; no libvirt type leaves that target.
#ifndef SRIOVCTL_CLIBVIRT_H
#define SRIOVCTL_CLIBVIRT_H
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

/// Loads libvirt.so.0 once per process; 0 on success, -1 when it cannot be loaded.
int sriovctl_libvirt_load(void);
/// Why loading failed (dlerror text), or NULL after a successful load.
const char *sriovctl_libvirt_load_error(void);
int sriovctl_virInitialize(void);
void sriovctl_virSetErrorFunc(void *userData, virErrorFunc handler);
virErrorPtr sriovctl_virGetLastError(void);
void sriovctl_virResetLastError(void);
virConnectPtr sriovctl_virConnectOpen(const char *name);
virConnectPtr sriovctl_virConnectOpenReadOnly(const char *name);
int sriovctl_virConnectClose(virConnectPtr conn);
int sriovctl_virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags);
virDomainPtr sriovctl_virDomainLookupByName(virConnectPtr conn, const char *name);
virDomainPtr sriovctl_virDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags);
int sriovctl_virDomainUndefineFlags(virDomainPtr domain, unsigned int flags);
int sriovctl_virDomainFree(virDomainPtr domain);
const char * sriovctl_virDomainGetName(virDomainPtr domain);
int sriovctl_virDomainGetUUIDString(virDomainPtr domain, char *buf);
int sriovctl_virDomainIsActive(virDomainPtr domain);
int sriovctl_virDomainIsPersistent(virDomainPtr domain);
char * sriovctl_virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags);
int sriovctl_virDomainAttachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags);
int sriovctl_virDomainDetachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags);
#endif
