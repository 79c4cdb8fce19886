# Sourced by ./hub and .ci/run: exports JAVA_HOME as the first JDK of version 21 or newer.
jdk_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}'; }
found=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
  if [[ -n "$candidate" && -x "$candidate/bin/javac" ]]; then
    major="$(jdk_major "$candidate")"
    if [[ "${major%%.*}" =~ ^[0-9]+$ ]] && (( ${major%%.*} >= 21 )); then found="$candidate"; break; fi
  fi
done
if [[ -z "$found" ]]; then
  echo "Agent Hub needs a JDK of version 21 or newer; none found in JAVA_HOME or /usr/lib/jvm." >&2
  exit 1
fi
export JAVA_HOME="$found"
export PATH="$JAVA_HOME/bin:$PATH"
