package org.example.hello;

/** Counts primes with a sieve. */
final class Primes {
    private Primes() {}

    static int below(int n) {
        boolean[] composite = new boolean[n];
        int count = 0;
        for (int i = 2; i < n; i++) {
            if (composite[i]) {
                continue;
            }
            count++;
            for (long j = (long) i * i; j < n; j += i) {
                composite[(int) j] = true;
            }
        }
        return count;
    }
}
