# One INTERFACE target carries the compile settings every MailRoute target uses
# (see docs/architecture.md "Layers"): strict warnings, no implicit ASCII casts,
# QStringBuilder, no context-less connects.
add_library(mailroute_common INTERFACE)
target_compile_definitions(mailroute_common INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_CAST_FROM_BYTEARRAY
  QT_USE_QSTRINGBUILDER
  QT_NO_CONTEXTLESS_CONNECT
  QT_NO_URL_CAST_FROM_STRING
  QT_NO_FOREACH
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_DISABLE_DEPRECATED_BEFORE=0x060400
  MAILROUTE_VERSION="${PROJECT_VERSION}")
target_compile_options(mailroute_common INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
  -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${MAILROUTE_WERROR}>:-Werror>)
# includes from the repository root: "relaycore/routing/mailaddress.h"
target_include_directories(mailroute_common INTERFACE ${PROJECT_SOURCE_DIR})

# mailroute_library(NAME DIR LIBS...) : a static library from every .cpp in DIR
# (an INTERFACE library while a folder holds headers only).
function(mailroute_library name dir)
  file(GLOB _cpp CONFIGURE_DEPENDS ${dir}/*.cpp)
  file(GLOB _h CONFIGURE_DEPENDS ${dir}/*.h)
  if(_cpp)
    add_library(${name} STATIC ${_cpp} ${_h})
    target_link_libraries(${name} PUBLIC mailroute_common ${ARGN})
  else()
    add_library(${name} INTERFACE)
    target_link_libraries(${name} INTERFACE mailroute_common ${ARGN})
  endif()
endfunction()
