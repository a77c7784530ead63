# Man pages mailroute(1) and mailroutectl(1), generated at build time with
# help2man from the programs' own --help and --version (so they say what the
# binaries do), and the bash completion of mailroutectl, printed by
# `mailroutectl completion bash` from the tables its parser uses. Both are
# installed (share/man/man1, share/bash-completion/completions) and so are in
# the .deb. Included from the top CMakeLists after the targets exist.
if(NOT UNIX OR APPLE)
  return()
endif()
include(GNUInstallDirs)

set(_gen "${PROJECT_BINARY_DIR}/generated")
# help2man runs the programs: without the builder's display, language choice
# or settings (a config folder of its own), in English.
set(_env "${CMAKE_COMMAND}" -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY --unset=LANGUAGE
         LC_ALL=C.UTF-8 LANG=C.UTF-8 "XDG_CONFIG_HOME=${_gen}/config" "HOME=${_gen}/home"
         "MAILROUTE_DB=${_gen}/no-such-dir/unused.db")

find_program(HELP2MAN_EXECUTABLE help2man)
find_program(GZIP_EXECUTABLE gzip)
if(HELP2MAN_EXECUTABLE AND GZIP_EXECUTABLE)
  set(_pages)
  set(_installed)
  foreach(_prog mailroute mailroutectl)
    if(_prog STREQUAL mailroute)
      set(_name "administration console of the MailRoute mail relay")
    else()
      set(_name "administer MailRoute's routing rules and relay without a window")
    endif()
    set(_page "${_gen}/man/${_prog}.1")
    set(_include "${_gen}/man/${_prog}.h2m")
    if(_prog STREQUAL mailroutectl)
      # Plus a COMMANDS section: `mailroutectl help COMMAND` of every command.
      set(_make_include ${_env} "${CMAKE_COMMAND}" "-DPROGRAM=$<TARGET_FILE:${_prog}>"
          "-DBASE=${PROJECT_SOURCE_DIR}/installer/man/${_prog}.h2m" "-DOUTPUT=${_include}"
          -P "${PROJECT_SOURCE_DIR}/cmake/ManCommands.cmake")
    else()
      set(_make_include "${CMAKE_COMMAND}" -E copy "${PROJECT_SOURCE_DIR}/installer/man/${_prog}.h2m" "${_include}")
    endif()
    add_custom_command(
      OUTPUT "${_page}" "${_page}.gz"
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${_gen}/man" "${_gen}/config" "${_gen}/home"
      COMMAND ${_make_include}
      COMMAND ${_env} "${HELP2MAN_EXECUTABLE}" --no-info --locale=C.UTF-8 --section=1 "--name=${_name}"
              "--include=${_include}" "--output=${_page}"
              "$<TARGET_FILE:${_prog}>"
      # Installed compressed, without a time stamp (Debian policy 12.1).
      COMMAND "${GZIP_EXECUTABLE}" -9nkf "${_page}"
      DEPENDS ${_prog} "${PROJECT_SOURCE_DIR}/installer/man/${_prog}.h2m"
              "${PROJECT_SOURCE_DIR}/cmake/ManCommands.cmake"
      COMMENT "Man page ${_prog}(1) (help2man)"
      VERBATIM)
    list(APPEND _pages "${_page}")
    list(APPEND _installed "${_page}.gz")
  endforeach()
  add_custom_target(mailroute_manpages ALL DEPENDS ${_pages})
  install(FILES ${_installed} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(WARNING "help2man not found: no man pages (installer/setup.sh deps installs it)")
endif()

set(_completion "${_gen}/bash-completion/mailroutectl")
add_custom_command(
  OUTPUT "${_completion}"
  COMMAND "${CMAKE_COMMAND}" -E make_directory "${_gen}/bash-completion" "${_gen}/config" "${_gen}/home"
  COMMAND ${_env} "${CMAKE_COMMAND}" "-DPROGRAM=$<TARGET_FILE:mailroutectl>" "-DOUTPUT=${_completion}"
          -P "${PROJECT_SOURCE_DIR}/cmake/WriteCompletion.cmake"
  DEPENDS mailroutectl "${PROJECT_SOURCE_DIR}/cmake/WriteCompletion.cmake"
  COMMENT "Bash completion of mailroutectl"
  VERBATIM)
add_custom_target(mailroutectl_completion ALL DEPENDS "${_completion}")
install(FILES "${_completion}" DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
