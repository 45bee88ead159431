/* hello prints a greeting and the prime numbers below a limit: the C
 * example's program. */
#include <stdio.h>
#include <stdlib.h>

static int is_prime(int n) {
	if (n < 2)
		return 0;
	for (int d = 2; d * d <= n; d++)
		if (n % d == 0)
			return 0;
	return 1;
}

int main(int argc, char **argv) {
	int limit = argc > 1 ? atoi(argv[1]) : 30;
	printf("hello from the C example\nprimes below %d:", limit);
	for (int n = 2; n < limit; n++)
		if (is_prime(n))
			printf(" %d", n);
	printf("\n");
	return 0;
}
