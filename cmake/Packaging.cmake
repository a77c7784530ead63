# Installation layout and CPack packages (issue 6, item 5).
#
#   Linux:   a .deb (cpack -G DEB): /usr/bin/mailroute and mailroutectl, the
#            .desktop file, hicolor icons, AppStream metainfo, the systemd unit
#            of the headless relay and its maintainer scripts (installer/).
#            Built and installed by installer/package-smoke.sh in CI.
#   Windows: an NSIS installer (cpack -G NSIS), Qt deployed next to the .exe.
#   macOS:   a DragNDrop .dmg with MailRoute.app (mailroutectl inside it).
# Windows and macOS are configured here but not built on the Debian CI.
#
# Included from the top CMakeLists after the targets exist.
include(GNUInstallDirs)

# The AppStream component id (reverse DNS): also the .desktop file's name and
# the console's QGuiApplication::desktopFileName (app/console/main.cpp).
set(MAILROUTE_APP_ID "org.mailroute.MailRoute")
# The project's own licence, shown in Help > About and in the package metadata.
# No licence has been chosen yet: all rights reserved (installer/copyright).
set(MAILROUTE_LICENSE_SPDX "LicenseRef-proprietary")

# --- Build information for Help > About (ui/aboutdialog.cpp only, so a new
# commit recompiles one file, not the whole console).
set(_commit "")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --short=12 HEAD
                  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
                  OUTPUT_VARIABLE _commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
# Honours SOURCE_DATE_EPOCH, so a reproducible build gets a fixed date.
string(TIMESTAMP _build_date "%Y-%m-%d" UTC)
set_source_files_properties("${PROJECT_SOURCE_DIR}/ui/aboutdialog.cpp"
  DIRECTORY "${PROJECT_SOURCE_DIR}/ui"
  PROPERTIES COMPILE_DEFINITIONS
    "MAILROUTE_BUILD_COMMIT=\"${_commit}\";MAILROUTE_BUILD_DATE=\"${_build_date}\";MAILROUTE_QTKEYCHAIN_VERSION=\"${Qt6Keychain_VERSION}\";MAILROUTE_LICENSE_SPDX=\"${MAILROUTE_LICENSE_SPDX}\"")

# --- What is installed.
if(APPLE)
  # One bundle: the console, with mailroutectl beside it in Contents/MacOS.
  set_target_properties(mailroute PROPERTIES
    OUTPUT_NAME MailRoute
    MACOSX_BUNDLE_BUNDLE_NAME MailRoute
    MACOSX_BUNDLE_GUI_IDENTIFIER "${MAILROUTE_APP_ID}"
    MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}"
    MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}")
  install(TARGETS mailroute BUNDLE DESTINATION .)
  install(TARGETS mailroutectl RUNTIME DESTINATION MailRoute.app/Contents/MacOS)
else()
  install(TARGETS mailroute mailroutectl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

if(WIN32 OR APPLE)
  # windeployqt / macdeployqt through Qt's own deploy script: the Qt libraries,
  # the platform plugin and the SQLite driver go into the package.
  qt_generate_deploy_app_script(TARGET mailroute OUTPUT_SCRIPT _deploy_script
                                NO_UNSUPPORTED_PLATFORM_ERROR)
  install(SCRIPT "${_deploy_script}")
endif()

if(UNIX AND NOT APPLE)
  install(FILES "${PROJECT_SOURCE_DIR}/installer/${MAILROUTE_APP_ID}.desktop"
          DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  configure_file("${PROJECT_SOURCE_DIR}/installer/${MAILROUTE_APP_ID}.metainfo.xml.in"
                 "${PROJECT_BINARY_DIR}/${MAILROUTE_APP_ID}.metainfo.xml" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/${MAILROUTE_APP_ID}.metainfo.xml"
          DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
  foreach(size 16 24 32 48 64 128 256)
    install(FILES "${PROJECT_SOURCE_DIR}/resources/icons/mailroute-${size}.png"
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps RENAME mailroute.png)
  endforeach()
  install(FILES "${PROJECT_SOURCE_DIR}/resources/icons/mailroute.svg"
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
  # /usr/lib/systemd/system: the vendor unit directory (merged /usr).
  install(FILES "${PROJECT_SOURCE_DIR}/installer/mailroute.service" DESTINATION lib/systemd/system)
  install(FILES "${PROJECT_SOURCE_DIR}/installer/copyright" "${PROJECT_SOURCE_DIR}/README.md"
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/mailroute)
endif()

# --- CPack.
set(CPACK_PACKAGE_NAME mailroute)
set(CPACK_PACKAGE_VENDOR "The MailRoute developers")
set(CPACK_PACKAGE_CONTACT "The MailRoute developers <postmaster@localhost>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION "MailRoute sits in the mail flow during a mailbox migration or coexistence
and sends every message to the mailbox where the user lives today (domain
and user mappings for the Relay, Inbound and Outbound areas). It has a
desktop console, a command line (mailroutectl) and a headless relay that
runs as the systemd service mailroute.service.")
set(CPACK_PACKAGE_INSTALL_DIRECTORY MailRoute)
set(CPACK_PACKAGE_EXECUTABLES mailroute MailRoute)
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/installer/copyright")
set(CPACK_RESOURCE_FILE_README "${PROJECT_SOURCE_DIR}/README.md")
set(CPACK_STRIP_FILES TRUE)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/")
if(WIN32)
  set(CPACK_GENERATOR NSIS ZIP)
elseif(APPLE)
  set(CPACK_GENERATOR DragNDrop)
else()
  set(CPACK_GENERATOR DEB)
endif()

# Debian: the Qt 6 runtime packages come from dpkg-shlibdeps (what the
# binaries really link); the plugins Qt loads at run time cannot be seen by it
# and are named here: the SQLite driver and the platform plugins (xcb).
set(CPACK_DEBIAN_PACKAGE_NAME mailroute)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION mail)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, qt6-qpa-plugins, adduser")
# openssl: Settings & Activation's self-signed certificate button runs it.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | keepassxc, openssl")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "swaks")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/installer/debian/postinst"
    "${PROJECT_SOURCE_DIR}/installer/debian/prerm"
    "${PROJECT_SOURCE_DIR}/installer/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

# Windows (NSIS): Start menu and desktop shortcuts, mailroutectl on the PATH,
# an older version removed first.
set(CPACK_NSIS_PACKAGE_NAME "MailRoute ${PROJECT_VERSION}")
set(CPACK_NSIS_DISPLAY_NAME "MailRoute")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\mailroute.exe")
set(CPACK_NSIS_MODIFY_PATH ON)
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_EXECUTABLES_DIRECTORY bin)
set(CPACK_CREATE_DESKTOP_LINKS mailroute)
set(CPACK_NSIS_CONTACT "${CPACK_PACKAGE_CONTACT}")

# macOS (DragNDrop): MailRoute.app on a compressed disk image.
set(CPACK_DMG_VOLUME_NAME "MailRoute ${PROJECT_VERSION}")
set(CPACK_DMG_FORMAT UDBZ)

include(CPack)
