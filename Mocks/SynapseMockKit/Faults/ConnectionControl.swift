import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Low-level ways to end a client connection, shared by the faults that need them.
enum ConnectionControl {
    /// Closes the connection with a TCP RST instead of a FIN: SO_LINGER on with a zero timeout
    /// makes close() discard unsent data and reset.
    static func reset(_ channel: any Channel) async {
        if let options = channel as? any SocketOptionProvider {
            try? await options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close()
    }

    /// Closes the connection normally (FIN) after anything already written, so a response that was
    /// started is left unfinished: no final chunk, or fewer bytes than its Content-Length.
    static func abandon(_ channel: any Channel) async {
        try? await channel.close()
    }

    /// Suspends until the connection closes (the client gave up, or the mock stopped).
    static func waitForClose(_ channel: any Channel) async {
        try? await channel.closeFuture.get()
    }

    /// Suspends until the connection closes, meanwhile parked on `time`: on a virtual clock the
    /// wait counts as a sleeper, so a scenario driver knows the request is waiting for time
    /// alone (the gateway's virtual deadline can then be reached) and not moving bytes; being
    /// parked, not asleep until some instant, it gives the driver no instant to jump to.
    static func waitForClose(_ channel: any Channel, parkedOn time: MockTime) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await waitForClose(channel) }
            group.addTask { try? await time.park() }
            // The client went away (the park only ends early if the mock is shut down).
            await group.next()
            group.cancelAll()
        }
    }
}
