// libxml2's pull parser (xmlTextReader), loaded on first use, for the libvirt domain XML
// reader (Sources/SRIOVLibvirt/DomainXMLParser.swift).
//
// Why this exists: sriovctl used Foundation's XMLParser (FoundationXML), which links
// libxml2 and, through Debian's libxml2, ICU, liblzma and libstdc++ into every process,
// for the few commands that read a guest's XML (attach, detach, audit). This target
// dlopen()s libxml2.so.2 the first time XML is read, as CLibvirt does for libvirt, and
// exposes only what the reader uses, with libxml2's types kept out of this header: its
// pointers are opaque, its constants are checked against libxml2's own headers when this
// target is compiled (libxml2_loader.c). Only SRIOVLibvirt imports this module.
#ifndef SRIOVCTL_CLIBXML2_H
#define SRIOVCTL_CLIBXML2_H

/// An xmlTextReaderPtr.
typedef struct sriovctl_xml_reader sriovctl_xml_reader;

/// Called with the first and every later error or warning libxml2 reports while reading:
/// its xmlParserErrors code, xmlErrorLevel (1 warning, 2 error, 3 fatal) and line.
typedef void (*sriovctl_xml_error_handler)(void *context, int code, int level, int line);

/// xmlParserOption values the reader uses (checked against <libxml/parser.h>).
enum {
    SRIOVCTL_XML_PARSE_NOERROR = 1 << 5,
    SRIOVCTL_XML_PARSE_NOWARNING = 1 << 6,
    SRIOVCTL_XML_PARSE_NONET = 1 << 11,
    SRIOVCTL_XML_PARSE_NOCDATA = 1 << 14,
    SRIOVCTL_XML_PARSE_BIG_LINES = 1 << 22,
};

/// xmlReaderTypes values the reader uses (checked against <libxml/xmlreader.h>).
enum {
    SRIOVCTL_XML_READER_TYPE_ELEMENT = 1,
    SRIOVCTL_XML_READER_TYPE_TEXT = 3,
    SRIOVCTL_XML_READER_TYPE_CDATA = 4,
    SRIOVCTL_XML_READER_TYPE_WHITESPACE = 13,
    SRIOVCTL_XML_READER_TYPE_SIGNIFICANT_WHITESPACE = 14,
    SRIOVCTL_XML_READER_TYPE_END_ELEMENT = 15,
};

/// Loads libxml2.so.2 once per process and initialises it (xmlInitParser); 0 on success,
/// -1 when it cannot be loaded.
int sriovctl_libxml2_load(void);
/// Why loading failed (dlerror text), or NULL after a successful load.
const char *sriovctl_libxml2_load_error(void);

/// xmlReaderForMemory: reads `buffer` in place (it must outlive the reader), with
/// `options` (SRIOVCTL_XML_PARSE_*); NULL when libxml2 is not loaded or out of memory.
sriovctl_xml_reader *sriovctl_xmlReaderForMemory(const char *buffer, int size, const char *encoding, int options);
/// xmlFreeTextReader.
void sriovctl_xmlFreeTextReader(sriovctl_xml_reader *reader);
/// xmlTextReaderSetStructuredErrorHandler, relaying each error's code, level and line.
void sriovctl_xmlTextReaderSetErrorHandler(sriovctl_xml_reader *reader, sriovctl_xml_error_handler handler,
                                           void *context);
/// xmlTextReaderRead: 1 a node was read, 0 the end, -1 an error.
int sriovctl_xmlTextReaderRead(sriovctl_xml_reader *reader);
/// xmlTextReaderNodeType (SRIOVCTL_XML_READER_TYPE_*).
int sriovctl_xmlTextReaderNodeType(sriovctl_xml_reader *reader);
/// xmlTextReaderConstName (UTF-8, owned by the reader).
const unsigned char *sriovctl_xmlTextReaderConstName(sriovctl_xml_reader *reader);
/// xmlTextReaderConstValue (UTF-8, owned by the reader).
const unsigned char *sriovctl_xmlTextReaderConstValue(sriovctl_xml_reader *reader);
/// xmlTextReaderIsEmptyElement.
int sriovctl_xmlTextReaderIsEmptyElement(sriovctl_xml_reader *reader);
/// xmlTextReaderMoveToNextAttribute.
int sriovctl_xmlTextReaderMoveToNextAttribute(sriovctl_xml_reader *reader);
/// xmlTextReaderMoveToElement.
int sriovctl_xmlTextReaderMoveToElement(sriovctl_xml_reader *reader);
/// The line of the current node (xmlGetLineNo of xmlTextReaderCurrentNode), else the
/// parser's line (xmlTextReaderGetParserLineNumber).
long sriovctl_xmlTextReaderNodeLine(sriovctl_xml_reader *reader);
#endif
