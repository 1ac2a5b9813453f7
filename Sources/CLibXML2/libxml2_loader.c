// Lazy libxml2: see include/CLibXML2.h for why.
#include "CLibXML2.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>

_Static_assert(SRIOVCTL_XML_PARSE_NOERROR == XML_PARSE_NOERROR, "XML_PARSE_NOERROR");
_Static_assert(SRIOVCTL_XML_PARSE_NOWARNING == XML_PARSE_NOWARNING, "XML_PARSE_NOWARNING");
_Static_assert(SRIOVCTL_XML_PARSE_NONET == XML_PARSE_NONET, "XML_PARSE_NONET");
_Static_assert(SRIOVCTL_XML_PARSE_NOCDATA == XML_PARSE_NOCDATA, "XML_PARSE_NOCDATA");
_Static_assert(SRIOVCTL_XML_PARSE_BIG_LINES == XML_PARSE_BIG_LINES, "XML_PARSE_BIG_LINES");
_Static_assert(SRIOVCTL_XML_READER_TYPE_ELEMENT == XML_READER_TYPE_ELEMENT, "ELEMENT");
_Static_assert(SRIOVCTL_XML_READER_TYPE_TEXT == XML_READER_TYPE_TEXT, "TEXT");
_Static_assert(SRIOVCTL_XML_READER_TYPE_CDATA == XML_READER_TYPE_CDATA, "CDATA");
_Static_assert(SRIOVCTL_XML_READER_TYPE_WHITESPACE == XML_READER_TYPE_WHITESPACE, "WHITESPACE");
_Static_assert(SRIOVCTL_XML_READER_TYPE_SIGNIFICANT_WHITESPACE == XML_READER_TYPE_SIGNIFICANT_WHITESPACE,
               "SIGNIFICANT_WHITESPACE");
_Static_assert(SRIOVCTL_XML_READER_TYPE_END_ELEMENT == XML_READER_TYPE_END_ELEMENT, "END_ELEMENT");

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_status = -1;
static char load_error[512];
static void (*p_xmlInitParser)(void);
static xmlTextReaderPtr (*p_xmlReaderForMemory)(const char *, int, const char *, const char *, int);
static void (*p_xmlFreeTextReader)(xmlTextReaderPtr);
static void (*p_xmlTextReaderSetStructuredErrorHandler)(xmlTextReaderPtr, xmlStructuredErrorFunc, void *);
static int (*p_xmlTextReaderRead)(xmlTextReaderPtr);
static int (*p_xmlTextReaderNodeType)(xmlTextReaderPtr);
static const xmlChar *(*p_xmlTextReaderConstName)(xmlTextReaderPtr);
static const xmlChar *(*p_xmlTextReaderConstValue)(xmlTextReaderPtr);
static int (*p_xmlTextReaderIsEmptyElement)(xmlTextReaderPtr);
static int (*p_xmlTextReaderMoveToNextAttribute)(xmlTextReaderPtr);
static int (*p_xmlTextReaderMoveToElement)(xmlTextReaderPtr);
static xmlNodePtr (*p_xmlTextReaderCurrentNode)(xmlTextReaderPtr);
static long (*p_xmlGetLineNo)(const xmlNode *);
static int (*p_xmlTextReaderGetParserLineNumber)(xmlTextReaderPtr);

#define RESOLVE(name) do { \
        *(void **)(&p_##name) = dlsym(handle, #name); \
        if (p_##name == NULL) { \
            snprintf(load_error, sizeof load_error, "libxml2.so.2 lacks %s", #name); \
            return; \
        } \
    } while (0)

static void load(void) {
    void *handle = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "%s", why ? why : "cannot load libxml2.so.2");
        return;
    }
    RESOLVE(xmlInitParser);
    RESOLVE(xmlReaderForMemory);
    RESOLVE(xmlFreeTextReader);
    RESOLVE(xmlTextReaderSetStructuredErrorHandler);
    RESOLVE(xmlTextReaderRead);
    RESOLVE(xmlTextReaderNodeType);
    RESOLVE(xmlTextReaderConstName);
    RESOLVE(xmlTextReaderConstValue);
    RESOLVE(xmlTextReaderIsEmptyElement);
    RESOLVE(xmlTextReaderMoveToNextAttribute);
    RESOLVE(xmlTextReaderMoveToElement);
    RESOLVE(xmlTextReaderCurrentNode);
    RESOLVE(xmlGetLineNo);
    RESOLVE(xmlTextReaderGetParserLineNumber);
    // libxml2 asks for this once, before use from several threads.
    p_xmlInitParser();
    load_status = 0;
}

int sriovctl_libxml2_load(void) {
    pthread_once(&load_once, load);
    return load_status;
}

const char *sriovctl_libxml2_load_error(void) {
    return load_status == 0 ? NULL : load_error;
}

/// A reader: libxml2's, and the error handler its errors are relayed to.
struct sriovctl_xml_reader {
    xmlTextReaderPtr reader;
    sriovctl_xml_error_handler handler;
    void *context;
};

sriovctl_xml_reader *sriovctl_xmlReaderForMemory(const char *buffer, int size, const char *encoding, int options) {
    if (sriovctl_libxml2_load() != 0) return NULL;
    sriovctl_xml_reader *wrapper = calloc(1, sizeof *wrapper);
    if (wrapper == NULL) return NULL;
    wrapper->reader = p_xmlReaderForMemory(buffer, size, NULL, encoding, options);
    if (wrapper->reader == NULL) {
        free(wrapper);
        return NULL;
    }
    return wrapper;
}

void sriovctl_xmlFreeTextReader(sriovctl_xml_reader *reader) {
    if (reader == NULL) return;
    p_xmlFreeTextReader(reader->reader);
    free(reader);
}

static void relay_error(void *data, xmlErrorPtr error) {
    sriovctl_xml_reader *reader = data;
    if (reader == NULL || reader->handler == NULL || error == NULL) return;
    reader->handler(reader->context, error->code, (int)error->level, error->line);
}

void sriovctl_xmlTextReaderSetErrorHandler(sriovctl_xml_reader *reader, sriovctl_xml_error_handler handler,
                                           void *context) {
    reader->handler = handler;
    reader->context = context;
    p_xmlTextReaderSetStructuredErrorHandler(reader->reader, relay_error, reader);
}

int sriovctl_xmlTextReaderRead(sriovctl_xml_reader *reader) {
    return p_xmlTextReaderRead(reader->reader);
}

int sriovctl_xmlTextReaderNodeType(sriovctl_xml_reader *reader) {
    return p_xmlTextReaderNodeType(reader->reader);
}

const unsigned char *sriovctl_xmlTextReaderConstName(sriovctl_xml_reader *reader) {
    return p_xmlTextReaderConstName(reader->reader);
}

const unsigned char *sriovctl_xmlTextReaderConstValue(sriovctl_xml_reader *reader) {
    return p_xmlTextReaderConstValue(reader->reader);
}

int sriovctl_xmlTextReaderIsEmptyElement(sriovctl_xml_reader *reader) {
    return p_xmlTextReaderIsEmptyElement(reader->reader);
}

int sriovctl_xmlTextReaderMoveToNextAttribute(sriovctl_xml_reader *reader) {
    return p_xmlTextReaderMoveToNextAttribute(reader->reader);
}

int sriovctl_xmlTextReaderMoveToElement(sriovctl_xml_reader *reader) {
    return p_xmlTextReaderMoveToElement(reader->reader);
}

long sriovctl_xmlTextReaderNodeLine(sriovctl_xml_reader *reader) {
    xmlNodePtr node = p_xmlTextReaderCurrentNode(reader->reader);
    long line = node != NULL ? p_xmlGetLineNo(node) : -1;
    return line > 0 ? line : p_xmlTextReaderGetParserLineNumber(reader->reader);
}
