# French and German catalogues of the console (tr() strings of ui/ and
# app/console/), compiled by lrelease and embedded in mailroute_ui as
# :/i18n/mailroute_<lang>.qm (ui/consolelanguage.cpp loads them).
# Included from ui/CMakeLists.txt, so the resource belongs to mailroute_ui.
#
#   ninja update_translations   refresh the .ts files from the sources
#   ctest -L i18n               fails on unfinished, vanished or missing entries
set(MAILROUTE_TS_FILES ${PROJECT_SOURCE_DIR}/translations/mailroute_fr.ts
                       ${PROJECT_SOURCE_DIR}/translations/mailroute_de.ts)
file(GLOB _mailroute_tr_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/ui/*.cpp ${PROJECT_SOURCE_DIR}/ui/*.h
     ${PROJECT_SOURCE_DIR}/app/console/*.cpp)
# The settings' descriptions live in relaycore (no tr() there); this list is
# what lupdate reads for them.
list(APPEND _mailroute_tr_sources ${PROJECT_SOURCE_DIR}/translations/settingsschema_strings.cpp)
# Without source locations, so a moved line does not change the .ts files;
# the same options as translations/check_ts.py uses.
qt_add_translations(mailroute_ui
  TS_FILES ${MAILROUTE_TS_FILES}
  SOURCES ${_mailroute_tr_sources}
  INCLUDE_DIRECTORIES ${PROJECT_SOURCE_DIR}
  LUPDATE_OPTIONS -locations none -no-obsolete
  LRELEASE_OPTIONS -silent)
