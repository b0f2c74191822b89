package telemetry

import (
	"minesafe/internal/telemetry/catalog"
)

// sensorFacts is what the network needs of a catalogue sensor.
type sensorFacts struct {
	valueType          string
	unit               string
	rangeMin, rangeMax *float64
}

func sensorInfo(key string) (sensorFacts, bool) {
	st, ok := catalog.Sensor(key)
	if !ok {
		return sensorFacts{}, false
	}
	f := sensorFacts{valueType: ValueAnalog, unit: st.Unit}
	if st.Signal == catalog.Switch {
		f.valueType = ValueSwitch
	}
	if st.Max > st.Min {
		lo, hi := st.Min, st.Max
		f.rangeMin, f.rangeMax = &lo, &hi
	}
	return f, true
}

// sensorByCode maps an MT/T 1201 sensor-type code to a catalogue key.
func sensorByCode(code string) (string, bool) {
	st, ok := catalog.BySensorCode(code)
	return st.Key, ok
}

// sensorCompatible allows a more precise key than the code's (a laser
// methane sensor reported under the methane code, say).
func sensorCompatible(given, fromCode string) bool {
	return fromCode == "methane" && given == "laser_methane"
}

func locationKnown(key string) bool {
	_, ok := catalog.LocationClass(key)
	return ok
}

// nonNegativeSensors cannot physically read below zero: concentrations,
// amounts, energies and lengths measured from zero. Displacements, levels,
// temperatures and burial depths can.
var nonNegativeSensors = map[string]bool{
	"methane": true, "laser_methane": true, "co": true, "o2": true, "co2": true, "dust": true, "humidity": true,
	"rainfall": true, "power": true, "microseismic_energy": true, "dry_beach_length": true, "seepage": true,
}

func nonNegative(key string) bool { return nonNegativeSensors[key] }

func sensorList() []catalog.SensorType { return catalog.Sensors() }

func locationList() []catalog.Location { return catalog.Locations() }
