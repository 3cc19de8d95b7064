from icpkit.cli import main

main()
