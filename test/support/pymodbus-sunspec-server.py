#!/usr/bin/python3
"""A SunSpec device served by pymodbus (3.0), for interop tests of the station's SunSpec code.

The register map is built here from the SunSpec information model documents, point by
point, without the station's model tables, so a shared misreading of the specification
cannot hide. Two units answer on one TCP port:

  unit 1    an inverter: common model 1, 103 (three-phase), 120 (nameplate), 123 (controls)
  unit 200  a meter (units 200+ as behind some inverters): common model 1, 203 (wye meter)

Usage: pymodbus-sunspec-server.py PORT   (0 picks a free port)

Prints one line `expected <json>` with every value it put in the registers, in engineering
units and by SunSpec point name, then `ready <port>` once it accepts connections. Stops on
SIGTERM, SIGINT or when its standard input closes (the test runner has gone).
"""

import asyncio
import json
import logging
import signal
import struct
import sys

try:
    from pymodbus.datastore import (
        ModbusSequentialDataBlock,
        ModbusServerContext,
        ModbusSlaveContext,
    )
    from pymodbus.server.async_io import ModbusTcpServer
except ImportError as error:
    sys.stderr.write(
        f"pymodbus is missing ({error}); install it with: sudo apt-get install python3-pymodbus\n"
    )
    sys.exit(3)

BASE = 40000  # SunSpec's own numbering is 0-based: the 'SunS' marker at wire address 40000
NOT_IMPLEMENTED = {"int16": 0x8000, "uint16": 0xFFFF, "sunssf": 0x8000}


class Model:
    """One model body (the L registers after ID and L) and what was put in it."""

    def __init__(self, model_id, length):
        self.id = model_id
        self.body = [0] * length
        self.points = {}

    def put(self, offset, words):
        assert offset + len(words) <= len(self.body), (self.id, offset)
        self.body[offset : offset + len(words)] = words

    def text(self, name, offset, regs, value):
        raw = value.encode("ascii")
        assert len(raw) <= 2 * regs
        self.put(offset, list(struct.unpack(f">{regs}H", raw.ljust(2 * regs, b"\0"))))
        self.points[name] = value

    def uint16(self, name, offset, value):
        assert 0 <= value < 0xFFFF
        self.put(offset, [value])
        self.points[name] = value

    def sf(self, name, offset, exponent):
        self.put(offset, [exponent & 0xFFFF])
        self.points[name] = exponent

    def scaled(self, name, offset, value, exponent, kind="int16"):
        """Stores value / 10^exponent, which must be a whole number of that type."""
        raw = round(value * 10**-exponent) if exponent < 0 else round(value / 10**exponent)
        back = raw / 10**-exponent if exponent < 0 else raw * 10**exponent
        assert back == value, (name, value, exponent)
        if kind == "int16":
            assert -0x7FFF <= raw <= 0x7FFF
            words = [raw & 0xFFFF]
        elif kind == "uint16":
            assert 0 <= raw < 0xFFFF
            words = [raw]
        elif kind == "acc32":  # big-endian words, the SunSpec rule; 0 means not implemented
            assert 0 < raw <= 0xFFFFFFFF
            words = [raw >> 16, raw & 0xFFFF]
        else:
            raise ValueError(kind)
        self.put(offset, words)
        self.points[name] = value

    def absent(self, name, offset, kind):
        self.put(offset, [NOT_IMPLEMENTED[kind]])
        self.points[name] = None


def common(manufacturer, model, options, version, serial, device_address):
    m = Model(1, 66)  # Mn 16, Md 16, Opt 8, Vr 8, SN 16, DA 1, Pad 1
    m.text("Mn", 0, 16, manufacturer)
    m.text("Md", 16, 16, model)
    m.text("Opt", 32, 8, options)
    m.text("Vr", 40, 8, version)
    m.text("SN", 48, 16, serial)
    m.uint16("DA", 64, device_address)
    m.put(65, [0x8000])  # Pad
    return m


def inverter_103():
    m = Model(103, 50)
    m.sf("A_SF", 4, -2)
    m.scaled("A", 0, 18.37, -2, "uint16")
    m.scaled("AphA", 1, 6.12, -2, "uint16")
    m.sf("V_SF", 11, -1)
    m.scaled("PhVphA", 8, 231.4, -1, "uint16")
    m.scaled("PhVphB", 9, 229.8, -1, "uint16")
    m.sf("W_SF", 13, 1)
    m.scaled("W", 12, 4250, 1)
    m.sf("Hz_SF", 15, -2)
    m.scaled("Hz", 14, 49.98, -2, "uint16")
    m.sf("VAr_SF", 19, 0)
    m.absent("VAr", 18, "int16")
    m.sf("PF_SF", 21, -3)
    m.scaled("PF", 20, -0.985, -3)
    m.sf("WH_SF", 24, 0)
    m.scaled("WH", 22, 12345678, 0, "acc32")
    m.sf("Tmp_SF", 35, -1)
    m.scaled("TmpCab", 31, -12.5, -1)
    m.uint16("St", 36, 4)  # MPPT
    return m


def nameplate_120():
    m = Model(120, 26)
    m.uint16("DERTyp", 0, 4)  # PV
    m.sf("WRtg_SF", 2, 2)
    m.scaled("WRtg", 1, 10000, 2, "uint16")
    m.absent("WHRtg_SF", 18, "sunssf")
    m.put(17, [500])  # WHRtg, unusable without its scale factor
    m.points["WHRtg"] = None
    return m


def controls_123():
    m = Model(123, 24)
    m.sf("WMaxLimPct_SF", 21, -1)
    m.scaled("WMaxLimPct", 3, 80.5, -1, "uint16")
    m.uint16("WMaxLim_Ena", 7, 1)
    return m


def meter_203():
    m = Model(203, 105)
    m.sf("V_SF", 13, -1)
    m.scaled("PhV", 5, 230.1, -1)
    m.sf("Hz_SF", 15, -2)
    m.scaled("Hz", 14, 50.02, -2)
    m.sf("W_SF", 20, 1)
    m.scaled("W", 16, -3450, 1)  # export: negative by the SunSpec meter sign rule
    m.scaled("WphA", 17, -1150, 1)
    m.sf("TotWh_SF", 52, 0)
    m.scaled("TotWhExp", 36, 70000, 0, "acc32")
    m.scaled("TotWhImp", 44, 123456789, 0, "acc32")
    return m


UNITS = {
    1: [
        common("Interop Test Solar", "ITS-3P-10K", "pymodbus", "2.5.1", "PYM-INV-0001", 1),
        inverter_103(),
        nameplate_120(),
        controls_123(),
    ],
    200: [
        common("Interop Test Meters", "ITM-203", "pymodbus", "1.0.0", "PYM-MTR-0200", 200),
        meter_203(),
    ],
}


def register_map(models):
    words = [0x5375, 0x6E53]  # 'SunS'
    entries = []
    for m in models:
        entries.append({"id": m.id, "address": BASE + len(words), "length": len(m.body)})
        words += [m.id, len(m.body)] + m.body
    return words + [0xFFFF, 0], entries


def build():
    slaves, expected = {}, {}
    for unit, models in UNITS.items():
        words, entries = register_map(models)
        # ModbusSlaveContext adds 1 to every request address unless zero_mode is set, so
        # with zero_mode the block's first address is the wire address of its first word.
        slaves[unit] = ModbusSlaveContext(
            hr=ModbusSequentialDataBlock(BASE, words), zero_mode=True
        )
        expected[str(unit)] = {
            "models": entries,
            "points": {str(m.id): m.points for m in models},
        }
    return ModbusServerContext(slaves=slaves, single=False), expected


async def main():
    # pymodbus 3.0 logs every client disconnect as an ERROR; the test reads our stderr only
    # when something went wrong, so keep it to real failures.
    logging.getLogger("pymodbus").setLevel(logging.CRITICAL)
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.stderr.write("usage: pymodbus-sunspec-server.py PORT\n")
        sys.exit(2)
    context, expected = build()
    server = ModbusTcpServer(context, address=("127.0.0.1", int(sys.argv[1])))
    serving = asyncio.create_task(server.serve_forever())
    await server.serving
    port = server.server.sockets[0].getsockname()[1]
    print("expected " + json.dumps(expected), flush=True)
    print(f"ready {port}", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_reader(sys.stdin, lambda: stop.set() if not sys.stdin.read(1) else None)
    await stop.wait()
    await server.shutdown()
    serving.cancel()


if __name__ == "__main__":
    asyncio.run(main())
