"""`python -m amity`: the same command as `amity`, for hosts where the script is not on PATH."""

from amity.cli import main

if __name__ == "__main__":
    main()
