# Turns Maven's batch output into a few progress lines for ./hub's builds: one line per module with the goals it runs,
# a dot per file downloaded from Maven Central, errors as they come. Reads Maven's output, writes progress.
function close_line() { if (open) { printf "\n"; open = 0 } fflush() }
function say(text) { close_line(); printf "%s", text; open = 1; fflush() }

/^\[INFO\] Downloaded from / {
  if (!open) { say("  downloading plugins and libraries from Maven Central ") }
  printf "."; fflush()
  next
}
# "[INFO] ------< io.agenthub:hub-core >------" names the module that the next "Building ... [2/6]" line numbers.
/^\[INFO\] -+< [^ ]+ >-+$/ { module = $3; sub(/^[^:]*:/, "", module); next }
/^\[INFO\] Building .*\[[0-9]+\/[0-9]+\]$/ { say("  " $NF " " module ":"); next }
# "[INFO] --- compiler:3.14.0:compile (default-compile) @ hub-core ---": the goal is the last part of the third field.
/^\[INFO\] --- / {
  n = split($3, part, ":")
  goal = part[n]
  if (goal !~ /^(enforce|resources|testResources|test)$/) { printf " %s", goal; fflush() }
  next
}
/^\[ERROR\]/ { close_line(); print; fflush(); next }
/^\[INFO\] Total time:/ { close_line(); sub(/^\[INFO\] Total time: */, ""); print "  built in " $0; fflush(); next }
/^\[/ { next }
# Anything else (the Maven Wrapper fetching Maven itself) is shown as it is.
NF { close_line(); print; fflush() }
END { close_line() }
