// Lazy libvirt: see include/CLibvirt.h for why.
#include "CLibvirt.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_status = -1;
static char load_error[512];
static int (*p_virInitialize)(void);
static void (*p_virSetErrorFunc)(void *userData, virErrorFunc handler);
static virErrorPtr (*p_virGetLastError)(void);
static void (*p_virResetLastError)(void);
static virConnectPtr (*p_virConnectOpen)(const char *name);
static virConnectPtr (*p_virConnectOpenReadOnly)(const char *name);
static int (*p_virConnectClose)(virConnectPtr conn);
static int (*p_virConnectListAllDomains)(virConnectPtr conn, virDomainPtr **domains, unsigned int flags);
static virDomainPtr (*p_virDomainLookupByName)(virConnectPtr conn, const char *name);
static virDomainPtr (*p_virDomainDefineXMLFlags)(virConnectPtr conn, const char *xml, unsigned int flags);
static int (*p_virDomainUndefineFlags)(virDomainPtr domain, unsigned int flags);
static int (*p_virDomainFree)(virDomainPtr domain);
static const char * (*p_virDomainGetName)(virDomainPtr domain);
static int (*p_virDomainGetUUIDString)(virDomainPtr domain, char *buf);
static int (*p_virDomainIsActive)(virDomainPtr domain);
static int (*p_virDomainIsPersistent)(virDomainPtr domain);
static char * (*p_virDomainGetXMLDesc)(virDomainPtr domain, unsigned int flags);
static int (*p_virDomainAttachDeviceFlags)(virDomainPtr domain, const char *xml, unsigned int flags);
static int (*p_virDomainDetachDeviceFlags)(virDomainPtr domain, const char *xml, unsigned int flags);

#define RESOLVE(name) do { \
        *(void **)(&p_##name) = dlsym(handle, #name); \
        if (p_##name == NULL) { \
            snprintf(load_error, sizeof load_error, "libvirt.so.0 lacks %s", #name); \
            return; \
        } \
    } while (0)

static void load(void) {
    void *handle = dlopen("libvirt.so.0", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "%s", why ? why : "cannot load libvirt.so.0");
        return;
    }
    RESOLVE(virInitialize);
    RESOLVE(virSetErrorFunc);
    RESOLVE(virGetLastError);
    RESOLVE(virResetLastError);
    RESOLVE(virConnectOpen);
    RESOLVE(virConnectOpenReadOnly);
    RESOLVE(virConnectClose);
    RESOLVE(virConnectListAllDomains);
    RESOLVE(virDomainLookupByName);
    RESOLVE(virDomainDefineXMLFlags);
    RESOLVE(virDomainUndefineFlags);
    RESOLVE(virDomainFree);
    RESOLVE(virDomainGetName);
    RESOLVE(virDomainGetUUIDString);
    RESOLVE(virDomainIsActive);
    RESOLVE(virDomainIsPersistent);
    RESOLVE(virDomainGetXMLDesc);
    RESOLVE(virDomainAttachDeviceFlags);
    RESOLVE(virDomainDetachDeviceFlags);
    load_status = 0;
}

int sriovctl_libvirt_load(void) {
    pthread_once(&load_once, load);
    return load_status;
}

const char *sriovctl_libvirt_load_error(void) {
    return load_status == 0 ? NULL : load_error;
}

int sriovctl_virInitialize(void) {
    if (sriovctl_libvirt_load() != 0) return -1;
    return p_virInitialize();
}

void sriovctl_virSetErrorFunc(void *userData, virErrorFunc handler) {
    if (sriovctl_libvirt_load() != 0) return;
    p_virSetErrorFunc(userData, handler);
}

virErrorPtr sriovctl_virGetLastError(void) {
    if (sriovctl_libvirt_load() != 0) return NULL;
    return p_virGetLastError();
}

void sriovctl_virResetLastError(void) {
    if (sriovctl_libvirt_load() != 0) return;
    p_virResetLastError();
}

virConnectPtr sriovctl_virConnectOpen(const char *name) {
    if (sriovctl_libvirt_load() != 0) return NULL;
    return p_virConnectOpen(name);
}

virConnectPtr sriovctl_virConnectOpenReadOnly(const char *name) {
    if (sriovctl_libvirt_load() != 0) return NULL;
    return p_virConnectOpenReadOnly(name);
}

int sriovctl_virConnectClose(virConnectPtr conn) {
    if (sriovctl_libvirt_load() != 0) return -1;
    return p_virConnectClose(conn);
}

int sriovctl_virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags) {
    if (sriovctl_libvirt_load() != 0) return -1;
    return p_virConnectListAllDomains(conn, domains, flags);
}

virDomainPtr sriovctl_virDomainLookupByName(virConnectPtr conn, const char *name) {
    if (sriovctl_libvirt_load() != 0) return NULL;
    return p_virDomainLookupByName(conn, name);
}

virDomainPtr sriovctl_virDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags) {
    if (sriovctl_libvirt_load() != 0) return NULL;
    return p_virDomainDefineXMLFlags(conn, xml, flags);
}

int sriovctl_virDomainUndefineFlags(virDomainPtr domain, unsigned int flags) {
    if (sriovctl_libvirt_load() != 0) return -1;
    return p_virDomainUndefineFlags(domain, flags);
}

int sriovctl_virDomainFree(virDomainPtr domain) {
    if (sriovctl_libvirt_load() != 0) return -1;
    return p_virDomainFree(domain);
}

const char * sriovctl_virDomainGetName(virDomainPtr domain) {
    if (sriovctl_libvirt_load() != 0) return NULL;
    return p_virDomainGetName(domain);
}

int sriovctl_virDomainGetUUIDString(virDomainPtr domain, char *buf) {
    if (sriovctl_libvirt_load() != 0) return -1;
    return p_virDomainGetUUIDString(domain, buf);
}

int sriovctl_virDomainIsActive(virDomainPtr domain) {
    if (sriovctl_libvirt_load() != 0) return -1;
    return p_virDomainIsActive(domain);
}

int sriovctl_virDomainIsPersistent(virDomainPtr domain) {
    if (sriovctl_libvirt_load() != 0) return -1;
    return p_virDomainIsPersistent(domain);
}

char * sriovctl_virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags) {
    if (sriovctl_libvirt_load() != 0) return NULL;
    return p_virDomainGetXMLDesc(domain, flags);
}

int sriovctl_virDomainAttachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags) {
    if (sriovctl_libvirt_load() != 0) return -1;
    return p_virDomainAttachDeviceFlags(domain, xml, flags);
}

int sriovctl_virDomainDetachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags) {
    if (sriovctl_libvirt_load() != 0) return -1;
    return p_virDomainDetachDeviceFlags(domain, xml, flags);
}
