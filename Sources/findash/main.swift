print("findash")
