# MAILROUTE_SANITIZE: AddressSanitizer + UndefinedBehaviorSanitizer for every
# MailRoute target, through the mailroute_common INTERFACE target that all of
# them link. Any UB report aborts (-fno-sanitize-recover) so ctest sees it as
# a failure instead of a line in the output. Qt itself is not instrumented.
# CI builds this in a second directory (build-asan) and runs `ctest -L unit`.
option(MAILROUTE_SANITIZE "Build with -fsanitize=address,undefined (ASan+UBSan)" OFF)
if(MAILROUTE_SANITIZE)
  set(_mailroute_san -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_compile_options(mailroute_common INTERFACE ${_mailroute_san})
  target_link_options(mailroute_common INTERFACE ${_mailroute_san})
endif()
