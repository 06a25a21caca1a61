/* false: exit code 1. */
int main(void) { return 1; }
