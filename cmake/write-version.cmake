# Writes generated/sipbed-version.h with the project version and the git
# revision of the source tree now (short hash, "-dirty" when tracked files
# differ from HEAD, "unknown" outside git). Run at every build by the
# sipbed-version-header target, so that config.json's git_revision names the
# tree the binary was built from; configure_file leaves the header untouched
# (and nothing recompiles) while the revision stays the same.
#
# Inputs (-D): SOURCE_DIR, OUTPUT, TEMPLATE, PROJECT_VERSION, GIT_EXECUTABLE.
set(SIPBED_GIT_REVISION "unknown")
if(GIT_EXECUTABLE)
  execute_process(
    COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
    OUTPUT_VARIABLE _rev OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE _status ERROR_QUIET)
  if(_status EQUAL 0 AND _rev)
    set(SIPBED_GIT_REVISION "${_rev}")
    execute_process(
      COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
      OUTPUT_VARIABLE _dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(_dirty)
      string(APPEND SIPBED_GIT_REVISION "-dirty")
    endif()
  endif()
endif()
configure_file("${TEMPLATE}" "${OUTPUT}" @ONLY)
