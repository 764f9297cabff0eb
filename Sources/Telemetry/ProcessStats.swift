import Glibc

/// The process's own resource use, for `/metrics`.
public enum ProcessStats {
    /// Resident memory in bytes (from /proc/self/statm).
    public static func residentBytes() -> Double {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        guard fgets(&line, 256, file) != nil else { return 0 }
        let length = line.firstIndex(of: 0) ?? line.count
        let fields = String(decoding: line[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: " ")
        guard fields.count >= 2, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Open file descriptors (entries of /proc/self/fd, less the one reading it).
    public static func openFileDescriptors() -> Double {
        guard let dir = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(dir) }
        var count = 0
        while readdir(dir) != nil { count += 1 }
        return Double(max(0, count - 3))  // ".", ".." and the directory's own descriptor
    }

    /// User plus system CPU time in seconds.
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
