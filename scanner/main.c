/* main.c: placeholder until the command table lands. */
int main(void);
int
main(void)
{
	return 4;
}
