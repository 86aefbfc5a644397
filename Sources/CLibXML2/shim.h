// libxml2 for Accord's Exchange module: hardened parsing and exclusive C14N.
// Debian builds libxml2 with ICU; hiding that keeps modules that import both Foundation and
// libxml2 from clashing over ICU's UErrorCode (see STACK-NOTES).
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/c14n.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>
