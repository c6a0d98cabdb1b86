package main

import (
	"reflect"
	"strings"
	"testing"
)

// Payload fields typed as the official SDK types them (DESIGN §14): a const
// tagged tsenum becomes that enum member in TypeScript (with a compile-time
// check of its value), a field tagged ts:"optional" stays required in the
// schema (the core always sends it; validators check it) but is optional in
// the TypeScript type.
func TestEnumTypedAndOptionalFields(t *testing.T) {
	s := build()
	cl := s.Defs["PinCreateCloseEvent"]
	if cl == nil || cl.Properties["flow"].TSEnum != "PinFlow.Create" || cl.Properties["action"].TSEnum != "PinCreate.Close" ||
		cl.Properties["action"].Const != "close" {
		t.Fatalf("PinCreateCloseEvent: %+v", cl)
	}
	if !cl.Properties["profileId"].TSOptional || !strings.Contains(strings.Join(cl.Required, ","), "profileId") {
		t.Fatalf("profileId: optional in TS %v, required %v", cl.Properties["profileId"].TSOptional, cl.Required)
	}
	if s.Defs["PinCreateOpenEvent"].Properties["profileId"].TSOptional {
		t.Fatal("PinCreateOpenEvent.profileId is in the official type: it must stay required")
	}
	ts := typescript(s)
	for _, want := range []string{
		"import type { CustomRegistration, Fingerprint, MobileAuthOtp, PinAuthentication, PinCreate, PinFlow } from '../events';",
		"export interface PinCreateCloseEvent {\n  action: PinCreate.Close;\n  flow: PinFlow.Create;\n",
		"  profileId?: string;\n  /** Always sent by this core; optional here because the official SDK's type does not have it. */\n  pinLength?: number;\n}",
		"  userProfile?: UserProfile;\n",
		"  IsTrue<SameValue<PinFlow.Create, 'Create'>>,\n",
		"  IsTrue<SameValue<Fingerprint.OnFingerprintCaptured, 'onFingerprintCaptured'>>,\n",
	} {
		if !strings.Contains(ts, want) {
			t.Errorf("contract.ts lacks %q", want)
		}
	}
	// The validators' schema keeps the const (the runtime check is unchanged).
	if !strings.Contains(ts, `"const": "close"`) {
		t.Error("the schema tables lost the const")
	}
}

func TestTagMisuseIsRefused(t *testing.T) {
	type noConst struct {
		Action string `json:"action" tsenum:"PinCreate.Open"`
	}
	type badForm struct {
		Action string `json:"action" const:"open" tsenum:"open"`
	}
	type optOmit struct {
		ID string `json:"id,omitempty" ts:"optional"`
	}
	type otherTS struct {
		ID string `json:"id" ts:"readonly"`
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[noConst](), reflect.TypeFor[badForm](), reflect.TypeFor[optOmit](), reflect.TypeFor[otherTS]()} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: accepted", typ)
				}
			}()
			(&schemaBuilder{defs: map[string]*JSON{}}).object(typ, false)
		}()
	}
}
