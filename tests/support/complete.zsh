# Complete $1 (a command line) in an interactive zsh on a pseudo-terminal,
# with the completion functions in the folder $2; print each match offered.
# compadd is wrapped to print what it adds (the technique of
# zsh-capture-completion), since zsh completes only inside its line editor.
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1=''; fpath=($2 \$fpath); autoload -Uz compinit; compinit -u -D 2>/dev/null"
zpty -w z 'compadd () { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi; typeset -a __hits; builtin compadd -A __hits "$@"; local h; for h in $__hits; do print -r -- "<<MATCH>>$h"; done; builtin compadd "$@"; }'
zpty -w z 'zstyle ":completion:*" list-prompt ""; zstyle ":completion:*" select-prompt ""; setopt nolistbeep'
zpty -w z "print '<<READY>>'"
local line
while zpty -r z line; do [[ $line == *'<<READY>>'* && $line != *print* ]] && break; done
zpty -w -n z "$1"$'\t'
# Let the completion finish (its matches stop coming for 0.5 s) before the
# line is cleared: typed ahead, ^U could reach the line editor first.
local -a early
local quiet=0
while (( quiet < 5 )); do
  if zpty -r -t z line; then
    quiet=0
    early+=("$line")
  else
    (( quiet++ ))
    sleep 0.1
  fi
done
for line in $early; do
  [[ $line == *'<<MATCH>>'* ]] && print -r -- "${${line##*<<MATCH>>}%%$'\r'*}"
done
zpty -w z $'\C-u'"print '<<DONE>>'"
# Until <<DONE>>: a busy machine may be slow to answer, so an empty read
# waits (up to 20 s, under the caller's 30 s timeout) instead of ending.
local idle=0
while (( idle < 100 )); do
  if ! zpty -r -t z line; then
    (( idle++ ))
    sleep 0.2
    continue
  fi
  idle=0
  [[ $line == *'<<DONE>>'* && $line != *print* ]] && break
  [[ $line == *'<<MATCH>>'* ]] && print -r -- "${${line##*<<MATCH>>}%%$'\r'*}"
done
zpty -d z
