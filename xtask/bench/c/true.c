/* true: exit code 0. */
int main(void) { return 0; }
