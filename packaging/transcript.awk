# transcript.awk WANT GOT: compares a transcript as run (GOT) with the one
# in README.md (WANT), line by line; a WANT line "..." matches any number
# of lines. Prints the first difference and exits 1.
FNR == NR { want[++n] = $0; next }
{ got[++m] = $0 }
END {
	i = 1; j = 1
	while (i <= n) {
		if (want[i] == "...") {
			i++
			if (i > n) exit 0
			while (j <= m && got[j] != want[i]) j++
			if (j > m) { printf "README line %d: %s\n  not found in the output\n", i, want[i]; exit 1 }
			continue
		}
		if (j > m || got[j] != want[i]) {
			printf "README line %d: %s\n  output line %d: %s\n", i, want[i], j, (j > m ? "(end)" : got[j])
			exit 1
		}
		i++; j++
	}
	if (j <= m) { printf "output has more lines, from %d: %s\n", j, got[j]; exit 1 }
}
