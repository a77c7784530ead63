# cmake -DPROGRAM=mailroutectl -DBASE=mailroutectl.h2m -DOUTPUT=FILE -P ManCommands.cmake
# The help2man include of mailroutectl(1): BASE, then a section COMMANDS with
# the text of `mailroutectl help COMMAND` for every command its --help lists.
file(READ "${BASE}" _out)
execute_process(COMMAND "${PROGRAM}" --help OUTPUT_VARIABLE _help RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} --help failed (${_rc})")
endif()
string(REGEX MATCHALL "\n  [a-z]+" _lines "${_help}")
set(_commands)
foreach(_line IN LISTS _lines)
  string(STRIP "${_line}" _cmd)
  list(APPEND _commands "${_cmd}")
endforeach()
list(REMOVE_DUPLICATES _commands)
string(APPEND _out "\n[COMMANDS]\nEach command as \\fBmailroutectl help\\fR \\fICOMMAND\\fR prints it.\n")
foreach(_cmd IN LISTS _commands)
  execute_process(COMMAND "${PROGRAM}" help "${_cmd}" OUTPUT_VARIABLE _text RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0 OR NOT _text MATCHES "^Usage: mailroutectl ${_cmd}")
    continue() # the overview, not a command of its own
  endif()
  # roff: backslashes, and lines starting with a dot or an apostrophe.
  string(REPLACE "\\" "\\e" _text "${_text}")
  string(REPLACE "-" "\\-" _text "${_text}") # ASCII hyphens, as typed in a shell
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" _text "${_text}")
  string(APPEND _out ".SS ${_cmd}\n.nf\n${_text}.fi\n")
endforeach()
file(WRITE "${OUTPUT}" "${_out}")
